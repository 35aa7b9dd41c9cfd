package io.quiver.error;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Root of Quiver's exception hierarchy. Every failure a client can see carries a stable {@link ErrorCode}
 * and a message that says what was wrong and what to do; the cause is kept for the server log only.
 */
public class QuiverException extends RuntimeException {

    private final ErrorCode code;
    private final List<Violation> violations;

    public QuiverException(ErrorCode code, String message) {
        this(code, message, List.of(), null);
    }

    public QuiverException(ErrorCode code, String message, Throwable cause) {
        this(code, message, List.of(), cause);
    }

    public QuiverException(ErrorCode code, String message, List<Violation> violations, Throwable cause) {
        super(requireNonNull(message, "message"), cause);
        this.code = requireNonNull(code, "code");
        this.violations = List.copyOf(violations);
    }

    public ErrorCode code() {
        return code;
    }

    /** Every broken rule when the failure is a validation failure; empty otherwise. */
    public List<Violation> violations() {
        return violations;
    }
}
