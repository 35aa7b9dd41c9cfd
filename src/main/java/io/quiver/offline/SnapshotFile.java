package io.quiver.offline;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

import org.eclipse.microprofile.graphql.Description;

import io.quiver.objectstore.ObjectKeys;

/**
 * One immutable data file of a snapshot, with the statistics readers use to skip it: its event-time range and the
 * range of its first entity key (files are sorted by the entity keys), as text.
 */
@Description("One immutable data file of a snapshot")
public record SnapshotFile(
        @Description("Object store key") String key,
        @Description("Rows in the file") long rows,
        @Description("Size in bytes") long bytes,
        @Description("Smallest event time in the file") Instant minEventTime,
        @Description("Largest event time in the file") Instant maxEventTime,
        @Description("Smallest value of the first entity key in the file, as text; null for files written before it was recorded") String minKey,
        @Description("Largest value of the first entity key in the file, as text") String maxKey) {

    public SnapshotFile {
        ObjectKeys.check(requireNonNull(key, "key"));
        if (rows < 0 || bytes < 0) {
            throw new IllegalArgumentException("rows and bytes cannot be negative");
        }
        if (minEventTime != null && maxEventTime != null && minEventTime.isAfter(maxEventTime)) {
            throw new IllegalArgumentException("minEventTime is after maxEventTime");
        }
    }

    /** A file without key statistics. */
    public SnapshotFile(String key, long rows, long bytes, Instant minEventTime, Instant maxEventTime) {
        this(key, rows, bytes, minEventTime, maxEventTime, null, null);
    }
}
