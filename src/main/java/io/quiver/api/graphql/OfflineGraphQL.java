package io.quiver.api.graphql;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import io.quiver.api.http.RequestBudget;
import io.quiver.config.QuiverConfig;
import io.quiver.error.InvalidArgumentException;
import io.quiver.offline.BackfillRange;
import io.quiver.offline.ExpireResult;
import io.quiver.offline.SnapshotMaintenance;
import io.quiver.offline.GroupStatistics;
import io.quiver.offline.HistoricalRetriever;
import io.quiver.offline.StatisticsService;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.ingest.WriteService;
import io.quiver.offline.Snapshot;
import io.quiver.offline.SnapshotLog;
import io.quiver.offline.SnapshotFile;
import io.quiver.offline.SnapshotPin;
import io.quiver.offline.WriteMode;
import io.quiver.ingest.WriteResult;
import jakarta.json.JsonObject;
import io.quiver.offline.OfflineWriter;
import io.quiver.registry.model.GroupAction;
import io.quiver.security.Requires;
import io.quiver.security.Role;

/** GraphQL adapter for the offline store: small writes and the snapshot history. */
@GraphQLApi
@TranslateErrors
public class OfflineGraphQL {

    private final SnapshotLog snapshots;
    private final WriteService writes;
    private final HistoricalRetriever historical;
    private final StatisticsService statistics;
    private final SnapshotMaintenance maintenance;
    private final QuiverConfig config;
    private final io.quiver.registry.FeatureServices services;
    private final io.quiver.registry.GroupGate gate;

    public OfflineGraphQL(SnapshotLog snapshots, WriteService writes, HistoricalRetriever historical,
            StatisticsService statistics, SnapshotMaintenance maintenance, QuiverConfig config,
            io.quiver.registry.FeatureServices services, io.quiver.registry.GroupGate gate) {
        this.gate = gate;
        this.services = services;
        this.snapshots = snapshots;
        this.writes = writes;
        this.historical = historical;
        this.statistics = statistics;
        this.maintenance = maintenance;
        this.config = config;
    }

    @Requires(Role.ADMIN)
    @Mutation("expireSnapshots")
    @Description("Retention: forgets snapshots committed before olderThan (keeping the newest keepLast and the current "
            + "one) and deletes the data files nothing references any more, including files of interrupted writes "
            + "older than quiver.offline.sweep-grace (default an hour)")
    public @NonNull ExpireResult expireSnapshots(@Description("Group name") @NonNull String group,
            @Description("Version; omit for the latest") Integer version,
            @Description("Snapshots committed before this moment may go") @NonNull Instant olderThan,
            @Description("How many of the newest snapshots to keep regardless") @DefaultValue("1") int keepLast) {
        return maintenance.expire(group, version == null ? 0 : version, olderThan, keepLast);
    }

    @Requires(Role.ADMIN)
    @Mutation("compact")
    @Description("Rewrites the current snapshot's files as one file with the same rows (a COMPACT snapshot); the old "
            + "files stay for time travel until expired")
    public @NonNull Snapshot compact(@Description("Group name") @NonNull String group,
            @Description("Version; omit for the latest") Integer version) {
        return maintenance.compact(group, version == null ? 0 : version);
    }

    @Requires(Role.WRITER)
    @Mutation("refreshFeatures")
    @Description("Recomputes a group version's statistics (row count; per feature null count, min, max) from its current "
            + "snapshot and keeps them on the group")
    public @NonNull GroupStatistics refreshFeatures(@Description("Group name") @NonNull String group,
            @Description("Version; omit for the latest") Integer version) {
        gate.check(group, GroupAction.WRITE);
        return statistics.refresh(group, version == null ? 0 : version);
    }

    @Name("statistics")
    @Description("Statistics of the stored data as of the last refreshFeatures; null before the first")
    public List<GroupStatistics> groupStatistics(@Source List<FeatureGroup> groups) {
        Map<Long, GroupStatistics> byId = statistics.latest(groups.stream().map(FeatureGroup::id).toList());
        return groups.stream().map(g -> byId.get(g.id())).toList();
    }

    @Requires(Role.READER)
    @Query("historicalFeatures")
    @Description("Point-in-time correct feature values for a small training set: for each entity row, each group's row "
            + "with the greatest event time at or before the row's timestamp and within the group's TTL (ties: latest "
            + "created time). Rows come back once each, in order, with their own columns; no match gives null.")
    public @NonNull List<@NonNull JsonObject> historicalFeatures(
            @Description("Feature references: group.feature, group:feature or group@2.feature (after the service's, when one is named)")
            List<String> features,
            @Description("Entity rows: join keys, the timestamp column (ISO-8601) and any other columns, carried through")
            @NonNull List<@NonNull JsonObject> entityRows,
            @Description("Name of the entity rows' timestamp column") @DefaultValue("event_timestamp") String timestampColumn,
            @Description("Name output columns group__feature instead of feature") @DefaultValue("false") boolean fullFeatureNames,
            @Description("Read every group as it was at this moment (reproducible training sets); omit for now") Instant asOf,
            @Description("Read these groups at these snapshot ids instead (they win over asOf)") List<SnapshotPin> snapshots,
            @Description("A feature service whose features to read: name (its latest version) or name@version; trainingSet "
                    + "also answers which version was read") String featureService) {
        return trainingSet(features, entityRows, timestampColumn, fullFeatureNames, asOf, snapshots, featureService).rows();
    }

    /** A training set and what it contains. */
    @Description("A point-in-time correct training set and exactly what it contains")
    public record TrainingSet(
            @Description("The feature service read, as name@version; null when the request named none") String featureService,
            @Description("The feature references read, in order (a service's whole groups expanded)") List<String> features,
            @Description("One row per entity row, in order") List<JsonObject> rows) {
    }

    @Requires(Role.READER)
    @Query("trainingSet")
    @Description("historicalFeatures with its provenance: the rows, the feature service version and the features read")
    public @NonNull TrainingSet trainingSet(
            @Description("Feature references: group.feature, group:feature or group@2.feature (after the service's, when one is named)")
            List<String> features,
            @Description("Entity rows: join keys, the timestamp column (ISO-8601) and any other columns, carried through")
            @NonNull List<@NonNull JsonObject> entityRows,
            @Description("Name of the entity rows' timestamp column") @DefaultValue("event_timestamp") String timestampColumn,
            @Description("Name output columns group__feature instead of feature") @DefaultValue("false") boolean fullFeatureNames,
            @Description("Read every group as it was at this moment (reproducible training sets); omit for now") Instant asOf,
            @Description("Read these groups at these snapshot ids instead (they win over asOf)") List<SnapshotPin> snapshots,
            @Description("A feature service whose features to read: name (its latest version) or name@version") String featureService) {
        RequestBudget.take("rows", entityRows.size(), config.ingest().maxGraphqlRows(), "quiver.ingest.max-graphql-rows",
                "send larger entity tables to POST /api/v1/historical-features as Arrow or Parquet");
        io.quiver.registry.FeatureServices.Selection asked = services.select(features, featureService);
        return new TrainingSet(asked.label(), asked.references(), JsonRows.toJson(historical.retrieve(asked.references(),
                JsonRows.toRows(entityRows, "entityRows"), timestampColumn == null ? "event_timestamp" : timestampColumn,
                fullFeatureNames, asOf, snapshots)));
    }

    @Requires(Role.WRITER)
    @Mutation("write")
    @Description("Writes a small batch of rows (JSON objects keyed by column name) to a group version's offline store "
            + "as one snapshot: appended, overwriting everything, or replacing an event-time range (backfill). The whole batch is validated first; any violation rejects it with every violation "
            + "listed (the first 100 and a count) and nothing written.")
    public @NonNull WriteResult write(@Description("Group name") @NonNull String group,
            @Description("Version; omit for the latest") Integer version,
            @Description("The rows: entity keys, event timestamp (ISO-8601), features") @NonNull List<@NonNull JsonObject> rows,
            @Description("APPEND (default) or OVERWRITE") @DefaultValue("APPEND") WriteMode mode,
            @Description("Replace exactly this event-time range with the rows instead (they must all lie in it)") BackfillRange backfill) {
        gate.check(group, GroupAction.WRITE);
        RequestBudget.take("rows", rows.size(), config.ingest().maxGraphqlRows(), "quiver.ingest.max-graphql-rows",
                "send bulk data to POST /api/v1/groups/" + group + "/data as an Arrow IPC stream or Parquet file, or split the batch");
        return writes.write(group, version == null ? 0 : version, JsonRows.toRows(rows, "rows"), mode, backfill);
    }

    @Requires(Role.READER)
    @Query("snapshots")
    @Description("Committed states of a group version's offline data, newest first, a page at a time")
    public @NonNull List<@NonNull Snapshot> snapshots(@Description("Group name") @NonNull String group,
            @Description("Version; omit for the latest") Integer version,
            @Description("At most this many (1 to 1000)") @DefaultValue("100") int first,
            @Description("Only snapshots older than this one (an id from the previous page)") Long before) {
        gate.check(group, GroupAction.READ);
        if (first < 1 || first > 1000) {
            throw new InvalidArgumentException("first must be between 1 and 1000, not " + first);
        }
        return snapshots.history(group, version == null ? 0 : version, first, before);
    }

    // Files are read from the manifest rows for the whole list of snapshots at once.

    @Name("files")
    @Description("Every data file of this state, in write order")
    public List<List<SnapshotFile>> files(@Source List<Snapshot> list) {
        Map<Long, List<SnapshotFile>> byId = new java.util.HashMap<>();
        list.stream().collect(java.util.stream.Collectors.groupingBy(Snapshot::groupId)).values()
                .forEach(sameGroup -> byId.putAll(snapshots.files(sameGroup)));
        return list.stream().map(s -> byId.get(s.id())).toList();
    }

    @Name("addedFiles")
    @Description("The data files this commit added")
    public List<List<SnapshotFile>> addedFiles(@Source List<Snapshot> list) {
        return list.stream().map(snapshots::added).toList();
    }

    @Name("removedFiles")
    @Description("The data files this commit removed (older snapshots still use them until expiry)")
    public List<List<SnapshotFile>> removedFiles(@Source List<Snapshot> list) {
        return list.stream().map(snapshots::removed).toList();
    }
}
