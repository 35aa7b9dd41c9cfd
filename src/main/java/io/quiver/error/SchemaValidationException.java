package io.quiver.error;

import java.util.List;

/** A definition or data batch broke one or more schema rules; nothing was written. */
public class SchemaValidationException extends QuiverException {
    private final long total;

    public SchemaValidationException(String what, List<Violation> violations) {
        this(what, violations, violations.size());
    }

    /** For large batches: {@code listed} holds the first violations, {@code total} counts them all. */
    public SchemaValidationException(String what, List<Violation> listed, long total) {
        this(what, listed, total, true);
    }

    /** @param write whether the rejected input was data to store (the message then says nothing was written) */
    public SchemaValidationException(String what, List<Violation> listed, long total, boolean write) {
        super(ErrorCode.SCHEMA_VALIDATION_FAILED, summary(what, listed, total, write), listed, null);
        this.total = total;
    }

    /** How many violations were found, listed or not. */
    public long total() {
        return total;
    }

    private static String summary(String what, List<Violation> listed, long total, boolean write) {
        String first = listed.isEmpty() ? "" : " First: " + listed.get(0) + ".";
        String shown = listed.size() < total ? " (the first " + listed.size() + " are listed)" : "";
        return what + " was rejected with " + total + (total == 1 ? " violation" : " violations") + shown
                + (write ? "; nothing was written" : "") + ". Fix every listed violation and retry." + first;
    }
}
