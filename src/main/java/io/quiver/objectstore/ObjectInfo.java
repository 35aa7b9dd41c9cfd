package io.quiver.objectstore;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What the store knows of an object.
 *
 * @param etag changes whenever the object's content does (S3's ETag; size and modification time on a disk)
 */
public record ObjectInfo(String key, long size, Instant lastModified, String etag) {
    public ObjectInfo {
        requireNonNull(key, "key");
        requireNonNull(lastModified, "lastModified");
        requireNonNull(etag, "etag");
    }

    /** The etag a store without one gives: size and modification time, which change with every write. */
    public static String localEtag(long size, Instant lastModified) {
        return Long.toHexString(size) + "-" + Long.toHexString(lastModified.getEpochSecond()) + Integer.toHexString(lastModified.getNano());
    }
}
