package io.quiver.error;

/** A malformed argument: bad cursor, page size, or reference syntax. */
public class InvalidArgumentException extends QuiverException {
    public InvalidArgumentException(String message) {
        super(ErrorCode.INVALID_ARGUMENT, message);
    }

    /** Keeps the cause (e.g. the parser's own error) for the server log. */
    public InvalidArgumentException(String message, Throwable cause) {
        super(ErrorCode.INVALID_ARGUMENT, message, cause);
    }
}
