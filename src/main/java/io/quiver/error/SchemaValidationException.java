package io.quiver.error;

import java.util.List;

/** A definition or data batch broke one or more schema rules; nothing was written. */
public class SchemaValidationException extends QuiverException {
    public SchemaValidationException(String what, List<Violation> violations) {
        super(ErrorCode.SCHEMA_VALIDATION_FAILED, summary(what, violations), violations, null);
    }

    private static String summary(String what, List<Violation> violations) {
        String first = violations.isEmpty() ? "" : " First: " + violations.get(0) + ".";
        return what + " was rejected with " + violations.size()
                + (violations.size() == 1 ? " violation" : " violations")
                + "; nothing was written. Fix every listed violation and retry." + first;
    }
}
