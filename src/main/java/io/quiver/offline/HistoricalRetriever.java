package io.quiver.offline;

import io.quiver.access.AccessPath;
import io.quiver.access.AccessRecorder;
import io.quiver.config.Mode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quiver.columnar.ColumnarFormat;
import io.quiver.columnar.ColumnarOutput;
import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.columnar.StagedUpload;
import io.quiver.columnar.TempDirectory;
import io.quiver.columnar.UploadChecks;
import io.quiver.columnar.UploadSlots;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.GroupSchema;
import io.quiver.error.ValidationRule;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Point-in-time correct feature values for training sets. For every entity row (keys + event timestamp), each
 * group contributes the row with the greatest event time at or before the entity row's timestamp, and not older
 * than the group's TTL; rows with equal event times are decided by the latest created timestamp, then by the latest
 * write. No match gives nulls. Every entity row comes back exactly once, in input order, with its own columns.
 * DuckDB runs the whole join ({@link PointInTimeJoin}) over the snapshots' files (local copies, see
 * {@link ObjectFileCache}). Entity rows come as JSON (GraphQL, small) or as an Arrow or Parquet table (REST, bulk).
 */
@ApplicationScoped
public class HistoricalRetriever {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(HistoricalRetriever.class);

    private final ObjectMapper mapper;

    private final HistoricalPlanner planner;
    private final SnapshotLog snapshots;
    private final ObjectFileCache files;
    private final DuckDbEngine engine;
    private final UploadSlots slots;
    private final StagedUpload.Limits limits;
    private final jakarta.enterprise.inject.Instance<ComputedGroups> computed;
    private final int maxKeyFilter;
    private final AccessRecorder access;
    private final jakarta.enterprise.inject.Instance<ScaleOutJoin> scaleOut;
    private final io.quiver.objectstore.ObjectStore lake;

    public HistoricalRetriever(HistoricalPlanner planner, SnapshotLog snapshots, ObjectFileCache files, DuckDbEngine engine,
            UploadSlots slots, QuiverConfig config, ObjectMapper mapper, jakarta.enterprise.inject.Instance<ComputedGroups> computed,
            AccessRecorder access, jakarta.enterprise.inject.Instance<ScaleOutJoin> scaleOut, io.quiver.objectstore.ObjectStore lake) {
        this.access = access;
        this.scaleOut = scaleOut;
        this.lake = lake;
        this.computed = computed;
        this.maxKeyFilter = config.virtual().maxKeyFilter();
        this.planner = planner;
        this.snapshots = snapshots;
        this.files = files;
        this.engine = engine;
        this.slots = slots;
        this.mapper = mapper;
        this.limits = StagedUpload.Limits.of(config);
    }

    /**
     * @param asOf read each group as it was at this moment (reproducible training sets); null for the current state
     * @param pins groups to read at a given snapshot id instead (they win over {@code asOf})
     * @return one output row per entity row, in order: the entity row's columns, then one column per feature
     */
    public List<Map<String, Object>> retrieve(List<String> references, List<Map<String, Object>> entityRows,
            String timestampColumn, boolean fullFeatureNames, Instant asOf, List<SnapshotPin> pins) {
        HistoricalPlanner.Plan plan = planner.plan(references, fullFeatureNames);
        if (entityRows == null || entityRows.isEmpty()) {
            throw new InvalidArgumentException("give at least one entity row (entity keys and '" + timestampColumn + "')");
        }
        List<Map<String, Object>> parsed = HistoricalPlanner.entities(entityRows, plan.keys(), timestampColumn, plan.outputs());
        List<Map<String, Object>> out = new ArrayList<>(entityRows.size());
        for (Map<String, Object> row : entityRows) {
            Map<String, Object> o = new LinkedHashMap<>(row);
            plan.outputs().forEach(c -> o.put(c, null));
            out.add(o);
        }
        long t0 = System.nanoTime();
        try (TempDirectory dir = new TempDirectory("quiver-historical"); Connection c = engine.connect(); Statement s = c.createStatement()) {
            loadJsonEntities(s, dir.path(), parsed, plan.keys());
            try (Snapshots data = snapshotsOf(plan, asOf, pins, c, true)) {
                join(s, plan, data, out);
                recordAccess(data, System.nanoTime() - t0, entityRows.size(), AccessPath.HISTORICAL);
            }
        } catch (RuntimeException e) {
            recordFailure(plan);
            throw e;
        } catch (SQLException | IOException e) {
            recordFailure(plan);
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "the point-in-time join failed in the query engine; "
                    + "retry, or report it with the request id", e);
        }
        return out;
    }

    /** Runs the join over the entity table and puts each row's feature values into its output row. */
    private void join(Statement s, HistoricalPlanner.Plan plan, Snapshots data, List<Map<String, Object>> out) throws SQLException {
        List<PointInTimeJoin.Part> parts = plan.parts(s.getConnection(), data.paths());
        String values = parts.stream().flatMap(p -> IntStream.range(0, p.features().size())
                .mapToObj(i -> DuckDbTypes.literal(p.outputNames().get(i)) + ": " + DuckDbTypes.jsonValue(p.features().get(i).dataTypeDetail(),
                        DuckDbTypes.quoteAny(p.outputNames().get(i)))))
                .collect(Collectors.joining(", ", "{", "}"));
        String join = PointInTimeJoin.sql(parts, "entity", List.of());
        try (ResultSet r = s.executeQuery("SELECT " + PointInTimeJoin.ROW + ", to_json(" + values + ") FROM (" + join + ")")) {
            while (r.next()) {
                Map<String, Object> row = out.get(r.getInt(1));
                parse(r.getString(2)).forEach(row::put);
            }
        }
    }

    /**
     * Runs the join for an entity table sent as Arrow or Parquet; the result waits in DuckDB until written with
     * {@link Prepared#writeTo}, so every error surfaces here, before a response starts.
     */
    public Prepared prepare(List<String> references, ColumnarFormat format, InputStream entityTable, String timestampColumn,
            boolean fullFeatureNames, Instant asOf, List<SnapshotPin> pins) {
        return prepare(references, format, entityTable, timestampColumn, fullFeatureNames, asOf, pins, ScaleOutJoin.Engine.AUTO);
    }

    /**
     * As above, on the engine the rule picks ({@link ScaleOutJoin#route}) or the one asked for.
     *
     * @param where AUTO, or DUCKDB or SPARK to choose
     */
    public Prepared prepare(List<String> references, ColumnarFormat format, InputStream entityTable, String timestampColumn,
            boolean fullFeatureNames, Instant asOf, List<SnapshotPin> pins, ScaleOutJoin.Engine where) {
        HistoricalPlanner.Plan plan = planner.plan(references, fullFeatureNames);
        UploadSlots.Slot slot = slots.acquire();
        TempDirectory dir;
        try {
            dir = new TempDirectory("quiver-historical");
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
        Snapshots data = null;
        Connection c = null;
        ScaleOutJoin.Route route = null;
        long t0 = System.nanoTime();
        try {
            c = engine.connect();
            StagedUpload upload = StagedUpload.stage(c, format, entityTable, "the entity table", dir.path(), limits, List.of());
            List<String> carried = checkEntityTable(c, upload, plan, timestampColumn);
            Resolved resolved = resolve(plan, asOf, pins);
            route = route(plan, upload.rows(), resolved.storedRows(), where);
            boolean elsewhere = route.engine() == ScaleOutJoin.Engine.SPARK;
            // an engine that reads the lake itself gets the snapshots' objects: nothing is fetched for it
            data = fetch(plan, resolved, c, !(elsewhere && scaleOut.get().readsLake()));
            List<String> outputs = plan.outputs().stream().map(DuckDbTypes::quoteAny).toList();
            try (Statement s = c.createStatement()) {
                if (elsewhere) {
                    joinElsewhere(s, plan, data, dir.path(), carried, outputs);
                } else {
                    s.execute("CREATE TEMP TABLE result AS " + PointInTimeJoin.sql(plan.parts(c, data.paths()), "entity",
                            carried.stream().map(col -> "e." + col).toList()));
                }
            }
            List<String> columns = new ArrayList<>(carried);
            columns.addAll(outputs);
            recordAccess(data, System.nanoTime() - t0, upload.rows(), path(route));
            return new Prepared(slot, dir, data, c, "SELECT " + String.join(", ", columns) + " FROM result ORDER BY " + PointInTimeJoin.ROW, route);
        } catch (SQLException e) {
            closeAll(dir, data, c);
            slot.close();
            recordFailure(plan, path(route));
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "the point-in-time join failed in the query engine; "
                    + "retry, or report it with the request id", e);
        } catch (RuntimeException e) {
            closeAll(dir, data, c);
            slot.close();
            recordFailure(plan, path(route));
            throw e;
        }
    }

    /** A computed training set, ready to be written once; holds its DuckDB connection and files until closed. */
    public static final class Prepared implements AutoCloseable {
        private final UploadSlots.Slot slot;
        private final TempDirectory dir;
        private final Snapshots data;
        private final Connection connection;
        private final String query;
        private final ScaleOutJoin.Route route;

        private Prepared(UploadSlots.Slot slot, TempDirectory dir, Snapshots data, Connection connection, String query, ScaleOutJoin.Route route) {
            this.route = route;
            this.slot = slot;
            this.dir = dir;
            this.data = data;
            this.connection = connection;
            this.query = query;
        }

        /** Where the join ran and why. */
        public ScaleOutJoin.Route route() {
            return route;
        }

        public void writeTo(OutputStream out, ColumnarFormat format) throws IOException {
            try {
                ColumnarOutput.write(connection, query, format, out, dir.path());
            } catch (SQLException e) {
                throw new IOException("could not write the training set", e);
            }
        }

        private final AtomicBoolean closed = new AtomicBoolean();

        /** Releases the connection, files and leases; safe to call more than once (and from another thread). */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                closeAll(dir, data, connection);
                slot.close();
            }
        }
    }

    /** Where the join runs: DuckDB when no scale-out engine is present, else as its rule or the caller says. */
    private ScaleOutJoin.Route route(HistoricalPlanner.Plan plan, long entityRows, long storedRows, ScaleOutJoin.Engine asked) {
        if (!scaleOut.isResolvable()) {
            if (asked == ScaleOutJoin.Engine.SPARK) {
                throw new InvalidArgumentException("this build has no Spark executor; leave engine out or use DUCKDB");
            }
            return new ScaleOutJoin.Route(ScaleOutJoin.Engine.DUCKDB, "this build has no scale-out engine");
        }
        return scaleOut.get().route(plan.groups(), entityRows, storedRows, asked);
    }

    /**
     * The join on the scale-out engine: it reads the entity table's keys and times (written as Parquet) and the
     * snapshots' files, and answers each entity row's feature values, which meet the entity table's own columns here.
     */
    private void joinElsewhere(Statement s, HistoricalPlanner.Plan plan, Snapshots data, Path dir, List<String> carried, List<String> outputs)
            throws SQLException {
        ScaleOutJoin engine = scaleOut.get();
        Path entities = dir.resolve("entities.parquet");
        List<String> columns = new ArrayList<>(List.of(PointInTimeJoin.ROW, PointInTimeJoin.TS));
        plan.keys().keySet().forEach(k -> columns.add(PointInTimeJoin.keyColumn(k)));
        s.execute("COPY (SELECT " + String.join(", ", columns) + " FROM entity) TO " + DuckDbTypes.literal(entities.toString())
                + " (FORMAT PARQUET)");
        // files only this node has (the entity table, computed groups' rows) are staged in the object store for an
        // engine that reads the lake, and removed after the join, whatever its outcome: no snapshot refers to them
        String staging = SnapshotMaintenance.SCRATCH + "scale-out/" + java.util.UUID.randomUUID() + "/";
        List<String> staged = new ArrayList<>();
        java.util.function.Function<Path, String> address = file -> {
            if (!engine.readsLake()) {
                return file.toAbsolutePath().normalize().toUri().toString();
            }
            String key = staging + staged.size() + ".parquet";
            staged.add(key);
            lake.put(key, file);
            return lake.uri(key);
        };
        try {
            String entitiesAt = address.apply(entities);
            List<ScaleOutJoin.Group> groups = plan.selection().groups().stream().map(r -> {
                List<Path> local = data.paths().get(r.schema());
                List<String> files = local != null ? local.stream().map(address).toList()
                        : data.objects().getOrDefault(r.schema(), List.of()).stream().map(f -> lake.uri(f.key())).toList();
                return new ScaleOutJoin.Group(r.schema(), r.features(), r.names(), files);
            }).toList();
            engine.join(groups, entitiesAt, s.getConnection(), "scale_out_result");
        } finally {
            if (!staged.isEmpty()) {
                try {
                    lake.delete(staged);
                } catch (RuntimeException e) {
                    LOG.warnf("could not remove the staged files of a scale-out join under %s: %s", staging, e.getMessage());
                }
            }
        }
        List<String> select = new ArrayList<>(List.of("e." + PointInTimeJoin.ROW));
        carried.forEach(col -> select.add("e." + col));
        outputs.forEach(col -> select.add("r." + col));
        s.execute("CREATE TEMP TABLE result AS SELECT " + String.join(", ", select) + " FROM entity e LEFT JOIN scale_out_result r ON e."
                + PointInTimeJoin.ROW + " = r." + PointInTimeJoin.ROW);
    }

    /** Checks the keys and timestamp of an uploaded entity table and defines the TEMP view {@code entity}. */
    private static List<String> checkEntityTable(Connection c, StagedUpload upload, HistoricalPlanner.Plan plan, String timestampColumn)
            throws SQLException {
        if (upload.rows() == 0) {
            throw new SchemaValidationException("The entity table", List.of(new Violation("rows", ValidationRule.EMPTY, "give at least one entity row")));
        }
        UploadChecks checks = new UploadChecks(upload);
        List<String> carried = new ArrayList<>();
        // DuckDB compares names without case: 'Score' and 'score' would be one column
        Set<String> outputs = new HashSet<>();
        plan.outputs().forEach(o -> outputs.add(o.toLowerCase(Locale.ROOT)));
        for (StagedUpload.Column col : upload.columns()) {
            if (col.name().startsWith("__")) {
                checks.columnViolation(col.name(), ValidationRule.RESERVED_NAME, "column names starting with '__' are reserved; rename '" + col.name() + "'");
            } else if (outputs.contains(col.name().toLowerCase(Locale.ROOT))) {
                checks.columnViolation(col.name(), ValidationRule.COLUMN_COLLISION, "the entity table already has a column named like the requested feature '"
                        + col.name() + "'; rename it or use fullFeatureNames");
            }
            carried.add(DuckDbTypes.quoteAny(col.name()));
        }
        List<String> select = new ArrayList<>();
        select.add(StagedUpload.ROW + " AS " + PointInTimeJoin.ROW);
        select.addAll(carried);
        for (Map.Entry<String, DataType> k : plan.keys().entrySet()) {
            FeatureDataType type = FeatureDataType.scalar(k.getValue());
            checks.required(k.getKey(), type, ValidationRule.MISSING_KEY, "entity key")
                    .ifPresent(col -> select.add("CAST(" + col + " AS " + DuckDbTypes.of(type) + ") AS " + PointInTimeJoin.keyColumn(k.getKey())));
        }
        checks.required(timestampColumn, FeatureDataType.scalar(DataType.TIMESTAMP), ValidationRule.MISSING_TIMESTAMP, "timestamp")
                .ifPresent(col -> select.add("CAST(" + col + " AS TIMESTAMPTZ) AS " + PointInTimeJoin.TS));
        checks.throwIfAny(c, "The entity table of " + upload.rows() + " rows", false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP VIEW entity AS SELECT " + String.join(", ", select) + " FROM " + StagedUpload.VIEW);
        }
        return carried;
    }

    /**
     * The data of each group with local copies of its files, held until closed: a stored group's snapshot (pinned by
     * id, as of a moment, or current); a computed (virtual) group's rows for the entity table's entities and times
     * (read from the lake as it is now: {@code asOf} does not apply, and a pin is refused).
     *
     * @param c holds the TEMP table or view {@code entity} (keys and timestamp), for the computed groups' scope
     */
    private Snapshots snapshotsOf(HistoricalPlanner.Plan plan, Instant asOf, List<SnapshotPin> pins, Connection c, boolean fetch)
            throws SQLException {
        return fetch(plan, resolve(plan, asOf, pins), c, fetch);
    }

    /** Each stored group's snapshot files (pinned, as of a moment, or current), and the groups computed from the lake. */
    private record Resolved(Map<GroupSchema, List<SnapshotFile>> keys, List<GroupSchema> computedGroups) {

        long storedRows() {
            return keys.values().stream().flatMap(List::stream).mapToLong(SnapshotFile::rows).sum();
        }
    }

    private Resolved resolve(HistoricalPlanner.Plan plan, Instant asOf, List<SnapshotPin> pins) {
        Map<String, Long> pinned = new LinkedHashMap<>();
        for (SnapshotPin pin : pins == null ? List.<SnapshotPin>of() : pins.stream().filter(Objects::nonNull).toList()) {
            if (plan.groups().stream().noneMatch(g -> g.group().name().equals(pin.group()))) {
                throw new InvalidArgumentException("a snapshot is pinned for '" + pin.group() + "', but no requested feature belongs to it");
            }
            if (pinned.put(pin.group(), pin.snapshotId()) != null) {
                throw new InvalidArgumentException("group '" + pin.group() + "' is pinned to more than one snapshot; give one");
            }
        }
        Map<GroupSchema, List<SnapshotFile>> keys = new LinkedHashMap<>();
        List<GroupSchema> computedGroups = new ArrayList<>();
        for (GroupSchema g : plan.groups()) {
            if (!computed.isUnsatisfied() && computed.get().computes(g)) {
                if (pinned.containsKey(g.group().name())) {
                    throw new InvalidArgumentException("'" + g.group().name() + "' is computed from lake data by its query template and has no "
                            + "snapshots to pin; remove its pin");
                }
                computedGroups.add(g);
                continue;
            }
            Long pin = pinned.get(g.group().name());
            Optional<Snapshot> snapshot = pin != null ? Optional.of(snapshots.byId(g.group().name(), g.group().version(), pin))
                    : asOf == null ? snapshots.current(g.group().name(), g.group().version())
                    : snapshots.asOf(g.group().name(), g.group().version(), asOf);
            keys.put(g, snapshot.map(snapshots::files).orElse(List.of()));
        }
        return new Resolved(keys, computedGroups);
    }

    /**
     * @param fetch whether the stored groups' files are fetched (local copies); the computed groups' rows always are
     */
    private Snapshots fetch(HistoricalPlanner.Plan plan, Resolved resolved, Connection c, boolean fetch) throws SQLException {
        Map<GroupSchema, List<SnapshotFile>> keys = resolved.keys();
        List<GroupSchema> computedGroups = resolved.computedGroups();
        Map<GroupSchema, List<Path>> paths = new LinkedHashMap<>();
        List<ComputedGroups.Rows> rows = new ArrayList<>();
        ObjectFileCache.Lease lease = files.leaseFiles(fetch ? keys.values().stream().flatMap(List::stream).toList() : List.of());
        try {
            if (fetch) {
                keys.forEach((g, k) -> paths.put(g, k.stream().map(f -> lease.path(f.key())).toList()));
            }
            if (!computedGroups.isEmpty()) {
                EntityScope scope = EntityScope.of(c, plan.keys(), maxKeyFilter);
                for (GroupSchema g : computedGroups) {
                    ComputedGroups.Rows r = computed.get().rows(g, scope.keysOf(g), scope.from(g), scope.to());
                    rows.add(r);
                    paths.put(g, r.files());
                }
            }
        } catch (RuntimeException | SQLException e) {
            rows.forEach(ComputedGroups.Rows::close);
            lease.close();
            throw e;
        }
        Map<GroupSchema, List<Path>> ordered = new LinkedHashMap<>();
        plan.groups().forEach(g -> {
            if (paths.containsKey(g)) {
                ordered.put(g, paths.get(g));
            }
        });
        return new Snapshots(lease, ordered, keys, rows, List.copyOf(computedGroups));
    }

    /** Counts one point-in-time read of each group: how it was served, and the bytes of the files it joined. */
    private void recordAccess(Snapshots data, long nanos, long entityRows, AccessPath path) {
        Map<GroupSchema, Long> read = new LinkedHashMap<>();
        data.objects().forEach((g, files) -> read.put(g, files.stream().mapToLong(SnapshotFile::bytes).sum()));
        data.paths().forEach((g, files) -> read.put(g, files.stream().mapToLong(f -> f.toFile().length()).sum()));
        read.forEach((g, bytes) -> {
            access.access(g.group().name(), path, data.virtual().contains(g) ? Mode.VIRTUALIZED : Mode.MATERIALIZED,
                    nanos, entityRows, bytes);
        });
    }

    private void recordFailure(HistoricalPlanner.Plan plan) {
        recordFailure(plan, AccessPath.HISTORICAL);
    }

    private void recordFailure(HistoricalPlanner.Plan plan, AccessPath path) {
        plan.groups().forEach(g -> access.failure(g.group().name(), path));
    }

    /** The access path of a training set: on Spark or on this node (also before it was routed). */
    private static AccessPath path(ScaleOutJoin.Route route) {
        return route != null && route.engine() == ScaleOutJoin.Engine.SPARK ? AccessPath.HISTORICAL_SPARK : AccessPath.HISTORICAL;
    }

    /**
     * @param paths local copies of each group's files (all groups when fetched; else only computed groups)
     * @param objects each stored group's snapshot files in the object store
     */
    private record Snapshots(ObjectFileCache.Lease lease, Map<GroupSchema, List<Path>> paths, Map<GroupSchema, List<SnapshotFile>> objects,
            List<ComputedGroups.Rows> computed, List<GroupSchema> virtual) implements AutoCloseable {
        @Override
        public void close() {
            computed.forEach(ComputedGroups.Rows::close);
            lease.close();
        }
    }

    private void loadJsonEntities(Statement s, Path dir, List<Map<String, Object>> rows, Map<String, DataType> keys)
            throws IOException, SQLException {
        Path json = dir.resolve("entities.ndjson");
        try (BufferedWriter w = Files.newBufferedWriter(json)) {
            for (Map<String, Object> row : rows) {
                w.write(mapper.writeValueAsString(row));
                w.write('\n');
            }
        }
        List<String> columns = new ArrayList<>();
        List<String> select = new ArrayList<>(List.of(PointInTimeJoin.ROW, PointInTimeJoin.TS));
        columns.add(PointInTimeJoin.ROW + ": 'BIGINT'");
        columns.add(PointInTimeJoin.TS + ": 'TIMESTAMPTZ'");
        keys.forEach((k, t) -> {
            columns.add(DuckDbTypes.quote(k) + ": '" + DuckDbTypes.of(FeatureDataType.scalar(t)) + "'");
            select.add(DuckDbTypes.quote(k) + " AS " + PointInTimeJoin.keyColumn(k));
        });
        s.execute("CREATE TEMP TABLE entity AS SELECT " + String.join(", ", select) + " FROM read_json(" + DuckDbTypes.literal(json.toString())
                + ", format = 'newline_delimited', columns = {" + String.join(", ", columns) + "})");
    }


    private Map<String, Object> parse(String json) {
        try {
            return mapper.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DuckDB returned invalid JSON: " + json, e);
        }
    }

    private static void closeAll(TempDirectory dir, Snapshots data, Connection c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (SQLException e) {
            // the connection is gone either way
        }
        if (data != null) {
            data.close();
        }
        dir.close();
    }
}
