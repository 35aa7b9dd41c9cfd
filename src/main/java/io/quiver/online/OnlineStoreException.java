package io.quiver.online;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/** The online store failed or did not answer in time. */
public class OnlineStoreException extends QuiverException {

    public OnlineStoreException(String message, Throwable cause) {
        super(ErrorCode.ONLINE_STORE_UNAVAILABLE, message, cause);
    }
}
