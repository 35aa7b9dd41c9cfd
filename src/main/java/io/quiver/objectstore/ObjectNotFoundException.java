package io.quiver.objectstore;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/** No object under the key. */
public class ObjectNotFoundException extends QuiverException {
    public ObjectNotFoundException(String key, String location) {
        super(ErrorCode.OBJECT_NOT_FOUND, "no object '" + key + "' in " + location);
    }
}
