package io.quiver.objectstore;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** What the store knows of an object. */
public record ObjectInfo(String key, long size, Instant lastModified) {
    public ObjectInfo {
        requireNonNull(key, "key");
        requireNonNull(lastModified, "lastModified");
    }
}
