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
        java.util.Optional<QuiverException> own = find(failure, QuiverException.class::isInstance).map(QuiverException.class::cast);
        if (own.isPresent()) {
            return own.get();
        }
        if (find(failure, Failures::isConnectionFailure).isPresent()) {
            return new FeatureRegistryException("the registry database cannot be reached; nothing was changed, retry "
                    + "shortly (/q/health/ready shows when it is back)", failure);
        }
        return new QuiverException(ErrorCode.INTERNAL_ERROR,
                "the server failed to handle the request; the error is logged, retry later or report it", failure);
    }

    /**
     * The first throwable among the failure, its causes and what they suppressed (a transaction manager reports a
     * failed commit's driver error as a suppressed exception of its RollbackException) that matches.
     */
    static java.util.Optional<Throwable> find(Throwable failure, java.util.function.Predicate<Throwable> test) {
        java.util.Deque<Throwable> todo = new java.util.ArrayDeque<>();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        todo.add(failure);
        while (!todo.isEmpty() && seen.size() < 64) {
            Throwable t = todo.poll();
            if (t == null || !seen.add(t)) {
                continue;
            }
            if (test.test(t)) {
                return java.util.Optional.of(t);
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(java.util.Arrays.asList(t.getSuppressed()));
        }
        return java.util.Optional.empty();
    }

    /**
     * SQLSTATE class 08 is "connection exception"; 57P01-57P03 are the server shutting down, crashing or not accepting
     * connections yet, 53300 too many connections, 55000 with "accepting connections" a database closed to
     * connections. Hibernate and the Agroal pool wrap them in their own types.
     */
    private static boolean isConnectionFailure(Throwable t) {
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")
                    || state.equals("55000") && String.valueOf(sql.getMessage()).contains("accepting connections")) {
                return true;
            }
        }
        String type = t.getClass().getName();
        return type.equals("org.hibernate.exception.JDBCConnectionException")
                || t instanceof SQLException && String.valueOf(t.getMessage()).contains("Acquisition timeout");
    }
}
