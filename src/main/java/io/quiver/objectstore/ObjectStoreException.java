package io.quiver.objectstore;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/**
 * The object store failed. The message, which clients may see, names the operation and the key; where the store is
 * and what it answered are in {@link #detail()} and the cause, for the log.
 */
public class ObjectStoreException extends QuiverException {

    private final String detail;

    public ObjectStoreException(String operation, String key, String detail, Throwable cause) {
        super(ErrorCode.OBJECT_STORE_UNAVAILABLE, "the object store failed to " + operation + (key == null ? "" : " '" + key + "'")
                + "; retry later (/q/health/ready shows when the object store answers)", cause);
        this.detail = detail;
    }

    /** What the store answered, and where it is: for the log only. */
    public String detail() {
        return detail;
    }
}
