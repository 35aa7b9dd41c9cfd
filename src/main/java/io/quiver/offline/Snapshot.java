package io.quiver.offline;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import org.eclipse.microprofile.graphql.Description;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The complete state of a group version's offline data at one commit. Totals are derived from the files (GraphQL
 * resolves them in {@code OfflineGraphQL}).
 */
@Description("The complete state of a group version's offline data at one commit")
public record Snapshot(
        @Description("Snapshot id, increasing with commit order") long id,
        @Description("Group name") String group,
        @Description("Group version") int version,
        @Description("The snapshot this one was committed on top of; null for the first") Long parentId,
        @Description("What the commit did") SnapshotOperation operation,
        @Description("Every data file of this state") List<SnapshotFile> files,
        @Description("When the commit happened") Instant committedAt) {

    public Snapshot {
        requireNonNull(group, "group");
        requireNonNull(operation, "operation");
        files = List.copyOf(files);
        requireNonNull(committedAt, "committedAt");
    }

    @JsonProperty("rowCount") // REST shows the totals too; GraphQL resolves them in OfflineGraphQL
    public long rowCount() {
        return files.stream().mapToLong(SnapshotFile::rows).sum();
    }

    @JsonProperty("bytes")
    public long bytes() {
        return files.stream().mapToLong(SnapshotFile::bytes).sum();
    }

    @JsonProperty("minEventTime")
    public Instant minEventTime() {
        return files.stream().map(SnapshotFile::minEventTime).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElse(null);
    }

    @JsonProperty("maxEventTime")
    public Instant maxEventTime() {
        return files.stream().map(SnapshotFile::maxEventTime).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
    }
}
