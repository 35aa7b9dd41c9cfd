package io.quiver.error;

/** A malformed argument: bad cursor, page size, or reference syntax. */
public class InvalidArgumentException extends QuiverException {
    public InvalidArgumentException(String message) {
        super(ErrorCode.INVALID_ARGUMENT, message);
    }
}
