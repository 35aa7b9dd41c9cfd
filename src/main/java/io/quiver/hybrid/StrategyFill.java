package io.quiver.hybrid;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.columnar.StagedUpload;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.offline.ExternalWrite;
import io.quiver.offline.OfflineWriter;
import io.quiver.offline.ParquetFileWriter;
import io.quiver.offline.ScaleOutJoin;
import io.quiver.offline.ScaleOutLoad;
import io.quiver.offline.WriteMode;
import io.quiver.error.Failures;
import io.quiver.online.Materializer;
import io.quiver.online.OnlineCodec;
import io.quiver.online.OnlineLoader;
import io.quiver.online.OnlineStore;
import io.quiver.registry.model.GroupSchema;
import io.quiver.virtual.ResultCache;
import io.quiver.virtual.SparkFills;
import io.quiver.virtual.VirtualReads;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fills a hybrid group's stored data from its query: the whole result as one OVERWRITE snapshot, then its latest
 * values into a new online table of their own (a generation named after the snapshot, online-enabled groups), which
 * reads move to only when the fill succeeded: a refresh replaces what they see as a whole, so an entity that left the
 * result reads as missing and one whose latest row became older reads that row, as virtual reads do. Either step
 * failing fails the fill, and reads stay where they were; a snapshot commit is atomic, so a failed fill leaves at
 * most a complete snapshot nobody reads yet.
 */
@ApplicationScoped
public class StrategyFill {

    private static final Logger LOG = Logger.getLogger(StrategyFill.class);

    private final VirtualReads reads;
    private final OfflineWriter writer;
    private final OnlineLoader loader;
    private final DuckDbEngine engine;
    private final OnlineStore store;
    private final SparkFills spark;
    private final ScaleOutLoad loads;

    public StrategyFill(VirtualReads reads, OfflineWriter writer, OnlineLoader loader, DuckDbEngine engine, OnlineStore store, SparkFills spark,
            ScaleOutLoad loads) {
        this.store = store;
        this.spark = spark;
        this.loads = loads;
        this.reads = reads;
        this.writer = writer;
        this.loader = loader;
        this.engine = engine;
    }

    /**
     * What a fill stored: rows offline, entities whose latest values went online, the online table they are in (null:
     * none), and the engine that computed it ("DuckDB", or "Spark" when Spark computed and wrote it).
     */
    public record Filled(long rows, long entities, String onlineTable, String engine) {
    }

    /**
     * Runs the fill, reporting to the materialization job it runs as.
     *
     * @throws QuiverException when any step fails
     */
    public Filled fill(GroupSchema schema, Materializer.Progress progress) {
        ScaleOutJoin.Route route = spark.route(schema);
        if (route.engine() == ScaleOutJoin.Engine.SPARK) {
            return fillOnSpark(schema, progress, route);
        }
        try (ResultCache.Lease result = reads.slice(schema, null, null, null); Connection c = engine.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP VIEW hybrid_fill AS SELECT *, file_row_number AS " + StagedUpload.POSITION + " FROM read_parquet("
                    + DuckDbTypes.literal(result.file().toString()) + ", file_row_number = true)");
            long rows;
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM hybrid_fill")) {
                r.next();
                rows = r.getLong(1);
            }
            progress.started(null, rows, null, route.engine().name(), route.reason());
            String select = "SELECT " + ParquetFileWriter.columns(schema).keySet().stream().map(DuckDbTypes::quoteAny)
                    .collect(Collectors.joining(", ")) + " FROM hybrid_fill";
            // the online generation is loaded from the written files while they are still here (inside the commit's callback)
            return writer.writeStaged(schema, c, select, rows, WriteMode.OVERWRITE, null, null,
                    write -> loadOnline(schema, write.snapshot().id(), rows, write.files(), progress, "DuckDB"));
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not read the query's result to store it", e);
        }
    }

    /**
     * The fill of a group that Spark computes ({@link SparkFills}): Spark writes the snapshot's files, the offline
     * writer commits them; when Spark wrote into the object store, only each entity's latest row comes back, for the
     * online load, otherwise the local files are loaded as on DuckDB.
     */
    private Filled fillOnSpark(GroupSchema schema, Materializer.Progress progress, ScaleOutJoin.Route route) {
        boolean direct = spark.writesLake();
        List<String> written = new java.util.ArrayList<>();
        ExternalWrite engine = spark.writer(schema);
        return writer.writeExternal(schema, direct, at -> {
            List<ExternalWrite.File> files = engine.write(at);
            files.forEach(f -> written.add(at + "/" + f.name()));
            progress.started(null, files.stream().mapToLong(ExternalWrite.File::rows).sum(), null, route.engine().name(), route.reason());
            return files;
        }, write -> {
            if (!direct || !schema.group().onlineEnabled() || written.isEmpty()) {
                return loadOnline(schema, write.snapshot().id(), write.rows(), write.files(), progress, "Spark");
            }
            Path latest;
            try {
                latest = loads.latest(schema, written, null, null);
            } catch (RuntimeException e) {
                throw new QuiverException(Failures.classify(e).code(), "the snapshot was stored but picking its latest rows on Spark for the "
                        + "online store failed (" + Failures.classify(e).getMessage() + ")", e);
            }
            try {
                return loadOnline(schema, write.snapshot().id(), write.rows(), List.of(latest), progress, "Spark");
            } finally {
                try {
                    java.nio.file.Files.deleteIfExists(latest);
                } catch (java.io.IOException e) {
                    LOG.debugf("could not remove %s: %s", latest, e.getMessage());
                }
            }
        });
    }

    /** Loads the latest values among {@code files} into the online generation of the fill's snapshot (online-enabled groups). */
    private Filled loadOnline(GroupSchema schema, long snapshotId, long rows, List<Path> files, Materializer.Progress progress, String engine) {
        if (!schema.group().onlineEnabled()) {
            return new Filled(rows, 0, null, engine);
        }
        String table = OnlineCodec.generation(schema.group(), snapshotId);
        try {
            OnlineLoader.Loaded loaded = loader.load(schema, table, files, null, null, progress::entities);
            progress.entities(loaded.entities());
            return new Filled(rows, loaded.entities(), table, engine);
        } catch (RuntimeException e) {
            dropGeneration(table);
            throw new QuiverException(ErrorCode.ONLINE_STORE_UNAVAILABLE, "the snapshot was stored but loading the online store failed ("
                    + Failures.classify(e).getMessage() + ")", e);
        }
    }

    /**
     * Drops one online generation (one no read uses); a failure is logged and leaves it for a later try or until the
     * stored data is cleared.
     *
     * @return whether it was dropped
     */
    public boolean dropGeneration(String table) {
        try {
            store.drop(table);
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("could not drop the online table %s (tried again, or dropped with the group's stored data): %s", table, e.getMessage());
            return false;
        }
    }

    /**
     * Commits an empty snapshot over the group's stored data and drops its online values, every generation with them
     * (expiry after the grace period); the files go with snapshot expiry.
     */
    public void clear(GroupSchema schema) {
        try (Connection c = engine.connect()) {
            writer.writeStaged(schema, c, "SELECT 1", 0, WriteMode.OVERWRITE, null, null, w -> w);
            store.drop(OnlineCodec.table(schema.group()));
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not clear the stored data", e);
        }
    }
}
