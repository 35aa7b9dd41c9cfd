package io.quiver.online;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/**
 * The online store failed or did not answer in time. The message, which clients may see, says what failed; where the
 * store is and what it answered are in {@link #detail()} and the cause, for the log.
 */
public class OnlineStoreException extends QuiverException {

    private final String detail;

    public OnlineStoreException(String message, String detail, Throwable cause) {
        super(ErrorCode.ONLINE_STORE_UNAVAILABLE, message, cause);
        this.detail = detail;
    }

    /** Where the store is and what it answered: for the log only. */
    public String detail() {
        return detail;
    }
}
