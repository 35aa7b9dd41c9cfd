package io.quiver.api.graphql;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import io.smallrye.common.annotation.NonBlocking;

import io.quiver.offline.Snapshot;
import io.quiver.offline.SnapshotLog;

/** GraphQL adapter for the offline store's history. */
@GraphQLApi
@TranslateErrors
public class OfflineGraphQL {

    private final SnapshotLog snapshots;

    public OfflineGraphQL(SnapshotLog snapshots) {
        this.snapshots = snapshots;
    }

    @Query("snapshots")
    @Description("Every committed state of a group version's offline data, newest first")
    public @NonNull List<@NonNull Snapshot> snapshots(@Description("Group name") @NonNull String group,
            @Description("Version; omit for the latest") Integer version) {
        return snapshots.history(group, version == null ? 0 : version);
    }

    // Totals derived from the file list: computed in memory, for the whole list at once.

    @Name("rowCount")
    @NonBlocking
    @Description("Rows over all files")
    public List<Long> rowCount(@Source List<Snapshot> list) {
        return list.stream().map(Snapshot::rowCount).toList();
    }

    @Name("bytes")
    @NonBlocking
    @Description("Bytes over all files")
    public List<Long> bytes(@Source List<Snapshot> list) {
        return list.stream().map(Snapshot::bytes).toList();
    }

    @Name("minEventTime")
    @NonBlocking
    @Description("Smallest event time over all files; null when there are no rows")
    public List<Instant> minEventTime(@Source List<Snapshot> list) {
        return list.stream().map(Snapshot::minEventTime).toList();
    }

    @Name("maxEventTime")
    @NonBlocking
    @Description("Largest event time over all files; null when there are no rows")
    public List<Instant> maxEventTime(@Source List<Snapshot> list) {
        return list.stream().map(Snapshot::maxEventTime).toList();
    }
}
