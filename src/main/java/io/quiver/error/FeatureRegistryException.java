package io.quiver.error;

/** The registry's database failed; the request may be retried once it is back. */
public class FeatureRegistryException extends QuiverException {
    public FeatureRegistryException(String message, Throwable cause) {
        super(ErrorCode.FEATURE_REGISTRY_UNAVAILABLE, message, cause);
    }
}
