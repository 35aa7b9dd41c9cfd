package io.quiver.online;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import io.quiver.columnar.DuckDbEngine;
import io.quiver.concurrent.BoundedExecutor;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.offline.SnapshotScan;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.model.EntityKeys;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Puts the latest row of each entity among some data files into the online store: DuckDB picks, per entity, the
 * row with the latest event time (then created time, then latest write, the point-in-time rules) and builds its
 * payload; the records go to the store in batches, several at once while DuckDB produces the next. Used for
 * write-through after a commit and for materialization.
 */
@ApplicationScoped
public class OnlineLoader {

    /** Batches written concurrently while DuckDB produces more. */
    private static final int IN_FLIGHT = 3;

    private final OnlineStore store;
    private final DuckDbEngine engine;
    private final int batch;
    private final OnlineTables tables;
    /** Shared by every load; a load has at most IN_FLIGHT batches queued or running. */
    private final BoundedExecutor writers = new BoundedExecutor("quiver-online-write", IN_FLIGHT, 64);

    public OnlineLoader(OnlineStore store, DuckDbEngine engine, QuiverConfig config, OnlineTables tables) {
        this.tables = tables;
        this.store = store;
        this.engine = engine;
        this.batch = Math.max(1, config.online().writeBatch());
    }

    /** What a load did. */
    public record Loaded(long entities, long applied) {
    }

    /**
     * @param start first event time to consider (inclusive); null for no bound
     * @param end first event time not to consider; null for no bound
     * @param progress told the number of entities handed to the store so far, after each batch
     */
    public Loaded load(GroupSchema schema, List<Path> files, Instant start, Instant end, LongConsumer progress) {
        return load(schema, tables.of(schema.group()), files, start, end, progress);
    }

    /** Loads into the given table of the group (a fill's new generation) rather than the one reads use now. */
    public Loaded load(GroupSchema schema, String table, List<Path> files, Instant start, Instant end, LongConsumer progress) {
        // Batches go to the store on other threads while DuckDB produces the next ones; at most IN_FLIGHT wait.
        Semaphore slots = new Semaphore(IN_FLIGHT);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicLong entities = new AtomicLong();
        AtomicLong applied = new AtomicLong();
        List<OnlineRecord> records = new ArrayList<>(batch);
        Runnable flush = () -> {
            List<OnlineRecord> chunk = List.copyOf(records);
            records.clear();
            slots.acquireUninterruptibly();
            RuntimeException failed = failure.get();
            if (failed != null) {
                slots.release();
                throw failed;
            }
            try {
                writers.execute(() -> {
                    try {
                        applied.addAndGet(store.write(table, chunk));
                        entities.addAndGet(chunk.size());
                    } catch (RuntimeException ex) {
                        failure.compareAndSet(null, ex);
                    } finally {
                        slots.release();
                    }
                });
            } catch (RuntimeException busy) {
                slots.release();
                throw busy;
            }
            progress.accept(entities.get());
        };
        try {
            scan(schema, files, start, end, null, r -> {
                records.add(r);
                if (records.size() == batch) {
                    flush.run();
                }
            });
            if (!records.isEmpty()) {
                flush.run();
            }
        } finally {
            slots.acquireUninterruptibly(IN_FLIGHT); // every batch handed over has ended, written or failed
            slots.release(IN_FLIGHT);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        progress.accept(entities.get());
        return new Loaded(entities.get(), applied.get());
    }

    @PreDestroy
    void stop() {
        writers.close(java.time.Duration.ofSeconds(10));
    }

    /**
     * The latest record of each of the given entities (typed key values in join-key order) in the files, the way
     * the online store would hold it: for reads of offline-only groups, and for reads while the online store is down.
     * Only row groups whose first-key range can hold a wanted entity are read (a filter DuckDB applies to the files'
     * min/max statistics).
     *
     * @param timeout longest the query may run; past it, it is cancelled and this fails with SERVICE_BUSY
     */
    public Map<String, OnlineRecord> latest(GroupSchema schema, List<Path> files, List<List<Object>> entities, Duration timeout) {
        Map<String, OnlineRecord> out = new HashMap<>();
        if (!entities.isEmpty()) {
            scan(schema, files, null, null, entities, timeout, r -> out.put(r.entity(), r));
        }
        return out;
    }

    private void scan(GroupSchema schema, List<Path> files, Instant start, Instant end, List<List<Object>> only,
            Consumer<OnlineRecord> sink) {
        scan(schema, files, start, end, only, null, sink);
    }

    private void scan(GroupSchema schema, List<Path> files, Instant start, Instant end, List<List<Object>> only, Duration timeout,
            Consumer<OnlineRecord> sink) {
        if (files.isEmpty()) {
            return;
        }
        FeatureGroup g = schema.group();
        try (Connection c = engine.connect()) {
            scan(c, schema, SnapshotScan.of(c, schema, files), start, end, only, timeout, sink);
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not read the latest values of "
                    + g.name() + " version " + g.version() + " in the query engine; retry, or report it with the request id", e);
        }
    }

    private void scan(Connection c, GroupSchema schema, SnapshotScan scan, Instant start, Instant end, List<List<Object>> only,
            Duration timeout, Consumer<OnlineRecord> sink) throws SQLException {
        FeatureGroup g = schema.group();
        String ts = "CAST(" + DuckDbTypes.quote(g.eventTimestampColumn()) + " AS TIMESTAMPTZ)";
        List<String> keys = g.entityKeys().stream().map(k -> DuckDbTypes.quote(k.name())).toList();
        List<String> where = new ArrayList<>();
        if (start != null) {
            where.add(ts + " >= TIMESTAMPTZ " + DuckDbTypes.literal(start.toString()));
        }
        if (end != null) {
            where.add(ts + " < TIMESTAMPTZ " + DuckDbTypes.literal(end.toString()));
        }
        String relation = scan.relation();
        if (only != null) {
            // the first key's values as a filter the Parquet reader applies to row group statistics (files are sorted by
            // it), then a semi join on the whole keys: only the wanted rows reach the window
            JoinKey first = g.entityKeys().get(0);
            where.add(keys.get(0) + " IN (" + only.stream().map(key -> literal(key.get(0), first)).distinct()
                    .collect(Collectors.joining(", ")) + ")");
            String values = only.stream().map(key -> {
                List<String> literals = new ArrayList<>();
                for (int i = 0; i < key.size(); i++) {
                    literals.add(literal(key.get(i), g.entityKeys().get(i)));
                }
                return "(" + String.join(", ", literals) + ")";
            }).collect(Collectors.joining(", "));
            String on = keys.stream().map(k -> "d." + k + " = w." + k).collect(Collectors.joining(" AND "));
            relation = "(SELECT d.* FROM " + relation + " d SEMI JOIN (VALUES " + values + ") w(" + String.join(", ", keys) + ") ON " + on + ")";
        }
        String order = ts + " DESC" + (g.createdTimestampColumn() == null ? ""
                : ", CAST(" + DuckDbTypes.quote(g.createdTimestampColumn()) + " AS TIMESTAMPTZ) DESC NULLS LAST") + ", " + scan.writeOrder() + " DESC";
        String created = g.createdTimestampColumn() == null ? "CAST(" + OnlineRecord.NO_CREATED_TIME + " AS BIGINT)"
                : "COALESCE(epoch_us(CAST(" + DuckDbTypes.quote(g.createdTimestampColumn()) + " AS TIMESTAMPTZ)), CAST("
                        + OnlineRecord.NO_CREATED_TIME + " AS BIGINT))";
        String sql = "SELECT " + String.join(", ", keys) + ", epoch_us(" + ts + "), " + created + ", " + OnlineCodec.payloadSql(schema.features())
                + " FROM " + relation + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " QUALIFY row_number() OVER (PARTITION BY " + String.join(", ", keys) + " ORDER BY " + order + ") = 1";
        int keyCount = g.entityKeys().size();
        try (Statement s = c.createStatement(); DuckDbEngine.Deadline deadline = timeout == null ? null : engine.deadline(s, timeout)) {
            try (ResultSet r = s.executeQuery(sql)) {
                while (r.next()) {
                    List<Object> key = new ArrayList<>(keyCount);
                    for (int i = 0; i < keyCount; i++) {
                        key.add(g.entityKeys().get(i).valueType() == DataType.STRING ? r.getString(i + 1) : (Object) r.getLong(i + 1));
                    }
                    sink.accept(new OnlineRecord(EntityKeys.encode(key), r.getLong(keyCount + 1), r.getLong(keyCount + 2), r.getString(keyCount + 3)));
                }
            } catch (SQLException e) {
                if (deadline != null && deadline.expired()) {
                    throw new QuiverException(ErrorCode.SERVICE_BUSY, "reading the latest values of " + g.name() + " from the offline "
                            + "store took longer than " + timeout.toMillis() + " ms (quiver.online.fallback-timeout); retry shortly", e);
                }
                throw e;
            }
        }
    }

    private static String literal(Object value, JoinKey key) {
        return "CAST(" + (value instanceof String s ? DuckDbTypes.literal(s) : value.toString()) + " AS "
                + DuckDbTypes.of(FeatureDataType.scalar(key.valueType())) + ")";
    }
}
