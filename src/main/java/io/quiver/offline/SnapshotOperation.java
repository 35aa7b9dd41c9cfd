package io.quiver.offline;

import org.eclipse.microprofile.graphql.Description;

@Description("What a snapshot's commit did to the data")
public enum SnapshotOperation {
    @Description("Added rows to the parent's files")
    APPEND,
    @Description("Replaced all of the group version's data")
    OVERWRITE,
    @Description("Replaced the rows of an event-time range")
    BACKFILL,
    @Description("Rewrote small files into fewer, same rows")
    COMPACT,
    @Description("Dropped files no longer needed (retention)")
    EXPIRE
}
