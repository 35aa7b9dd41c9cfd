package io.quiver.objectstore;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/** No object under the key. */
public class ObjectNotFoundException extends QuiverException {
    public ObjectNotFoundException(String key) {
        super(ErrorCode.OBJECT_NOT_FOUND, "there is no object '" + key + "' in the object store (a data file a snapshot names is gone)");
    }
}
