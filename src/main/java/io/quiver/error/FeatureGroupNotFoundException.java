package io.quiver.error;

/** No feature group, or no such version of one, is registered under the name. */
public class FeatureGroupNotFoundException extends QuiverException {
    public FeatureGroupNotFoundException(String message) {
        super(ErrorCode.FEATURE_GROUP_NOT_FOUND, message);
    }
}
