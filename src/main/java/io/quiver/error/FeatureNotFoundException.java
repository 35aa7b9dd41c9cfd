package io.quiver.error;

/** A feature reference resolves to nothing; the message names it and suggests close matches. */
public class FeatureNotFoundException extends QuiverException {
    public FeatureNotFoundException(String message) {
        super(ErrorCode.FEATURE_NOT_FOUND, message);
    }
}
