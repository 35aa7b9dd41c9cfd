package io.quiver.objectstore;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/** The object store failed; the message names the operation, the key and the store. */
public class ObjectStoreException extends QuiverException {
    public ObjectStoreException(String message, Throwable cause) {
        super(ErrorCode.OBJECT_STORE_UNAVAILABLE, message, cause);
    }
}
