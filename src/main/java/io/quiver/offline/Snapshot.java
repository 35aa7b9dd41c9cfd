package io.quiver.offline;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One committed state of a group version's offline data. The row holds what the commit changed and the totals of
 * the state; its files (live, added, removed) are read on demand from the manifest rows ({@link SnapshotLog#files}),
 * so a snapshot costs the same whatever the size of the table.
 */
@Description("One committed state of a group version's offline data")
public record Snapshot(
        @Description("Snapshot id, increasing with commit order") long id,
        @Ignore @JsonIgnore long groupId,
        @Description("Group name") String group,
        @Description("Group version") int version,
        @Description("Position on the group version's chain of commits: 1 for the first, the head has the largest") long sequenceNumber,
        @Description("The snapshot this one was committed on top of; null for the first") Long parentId,
        @Description("What the commit did") SnapshotOperation operation,
        @Description("The writer's id for the commit, unique; a writer that lost its connection looks it up to learn whether the commit landed") String commitId,
        @Description("When the commit happened") Instant committedAt,
        @Description("Data files of this state") long fileCount,
        @Description("Rows over all files") long rowCount,
        @Description("Bytes over all files") long bytes,
        @Description("Smallest event time over all files; null when there are no rows") Instant minEventTime,
        @Description("Largest event time over all files; null when there are no rows") Instant maxEventTime,
        @Description("Files this commit added") long addedFileCount,
        @Description("Files this commit removed (replaced or overwritten; kept for time travel until expiry)") long removedFileCount) {

    public Snapshot {
        requireNonNull(group, "group");
        requireNonNull(operation, "operation");
        requireNonNull(commitId, "commitId");
        requireNonNull(committedAt, "committedAt");
    }
}
