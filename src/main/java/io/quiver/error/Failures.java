package io.quiver.error;

import java.sql.SQLException;

/**
 * Turns any failure into the {@link QuiverException} a client sees: Quiver's own as they are; a registry database
 * that cannot be reached as {@code FEATURE_REGISTRY_UNAVAILABLE} (worth a retry); anything else as
 * {@code INTERNAL_ERROR} with a generic message. The cause is kept for the log.
 */
public final class Failures {

    private Failures() {
    }

    public static QuiverException classify(Throwable failure) {
        if (failure instanceof QuiverException q) {
            return q;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof QuiverException q) {
                return q;
            }
            if (isConnectionFailure(t)) {
                return new FeatureRegistryException("the registry database cannot be reached; nothing was changed, retry "
                        + "shortly (/q/health/ready shows when it is back)", failure);
            }
        }
        return new QuiverException(ErrorCode.INTERNAL_ERROR,
                "the server failed to handle the request; the error is logged, retry later or report it", failure);
    }

    /** SQLSTATE class 08 is "connection exception"; Hibernate and the Agroal pool wrap it in their own types. */
    private static boolean isConnectionFailure(Throwable t) {
        if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
            return true;
        }
        String type = t.getClass().getName();
        return type.equals("org.hibernate.exception.JDBCConnectionException")
                || t instanceof SQLException && String.valueOf(t.getMessage()).contains("Acquisition timeout");
    }
}
