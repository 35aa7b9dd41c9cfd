package io.quiver.error;

/**
 * Stable error codes. Clients match on these (GraphQL {@code extensions.code}, problem+json {@code code}),
 * so a code is never renamed once released; new codes may be added.
 */
public enum ErrorCode {
    /** A {@code group.feature} reference names no registered feature. */
    FEATURE_NOT_FOUND(404),
    /** No feature group (or no such version of it) is registered under the name. */
    FEATURE_GROUP_NOT_FOUND(404),
    /** A definition or a batch of data breaks the schema rules; the violations list every problem. */
    SCHEMA_VALIDATION_FAILED(400),
    /** An argument is malformed (a bad cursor, page size or feature reference). */
    INVALID_ARGUMENT(400),
    /** The request conflicts with the registry's current state (e.g. an entity's keys would change). */
    CONFLICT(409),
    /** Deleting would leave other features with a lineage edge to nothing. */
    FEATURE_GROUP_IN_USE(409),
    /** Writing or materializing feature data failed. */
    FEATURE_MATERIALIZATION_FAILED(500),
    /** A virtual feature query failed to run. */
    VIRTUALIZATION_QUERY_FAILED(500),
    /** Stored metadata could not be read or is inconsistent. */
    METADATA_ERROR(500),
    /** The registry database failed or is unreachable. */
    FEATURE_REGISTRY_UNAVAILABLE(503),
    /** The object store holds no object under the key (a file a snapshot names is gone). */
    OBJECT_NOT_FOUND(404),
    /** The object store (S3 or the local directory) failed or is unreachable; safe operations were retried. */
    OBJECT_STORE_UNAVAILABLE(503),
    /** The online store (Redis) failed, timed out or is unreachable; reads fall back to the offline store. */
    ONLINE_STORE_UNAVAILABLE(503),
    /** The request body is larger than the route accepts; the limit is named in the message. */
    REQUEST_TOO_LARGE(413),
    /** The service is at one of its configured limits (concurrent uploads, queued jobs): retry after Retry-After. */
    SERVICE_BUSY(503),
    /**
     * A commit's connection to the registry failed and whether it landed could not be found out in time. Its files are
     * kept; look for the commit id in {@code snapshots}, or retry the write once the registry answers.
     */
    COMMIT_OUTCOME_UNKNOWN(503),
    /** No data source is registered under the name. */
    DATA_SOURCE_NOT_FOUND(404),
    /** The data source is read by a group's query template; delete or re-register those groups first. */
    DATA_SOURCE_IN_USE(409),
    /** No feature service (or no such version of it) is registered under the name. */
    FEATURE_SERVICE_NOT_FOUND(404),
    /** An unexpected failure; the server log holds the cause. */
    /** The request carries no usable credential (none, malformed, unknown, expired or revoked key, invalid token). */
    UNAUTHENTICATED(401),
    /** The caller is known but lacks the role the operation needs; the message names it. */
    FORBIDDEN(403),
    /** The caller sent more requests than its rate limit allows; retry after Retry-After seconds. */
    RATE_LIMITED(429),
    INTERNAL_ERROR(500);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
