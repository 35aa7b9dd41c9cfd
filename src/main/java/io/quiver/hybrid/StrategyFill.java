package io.quiver.hybrid;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Collectors;

import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.columnar.StagedUpload;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.offline.OfflineWriter;
import io.quiver.offline.ParquetFileWriter;
import io.quiver.offline.WriteMode;
import io.quiver.online.OnlineSync;
import io.quiver.online.OnlineUpdate;
import io.quiver.registry.model.GroupSchema;
import io.quiver.virtual.ResultCache;
import io.quiver.virtual.VirtualReads;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Fills a hybrid group's stored data from its query: the whole result as one OVERWRITE snapshot, then its latest
 * values into the online store (online-enabled groups). Either step failing fails the fill, and reads stay where
 * they were; a snapshot commit is atomic, so a failed fill leaves at most a complete snapshot nobody reads yet.
 */
@ApplicationScoped
public class StrategyFill {

    private final VirtualReads reads;
    private final OfflineWriter writer;
    private final OnlineSync online;
    private final DuckDbEngine engine;
    private final io.quiver.online.OnlineStore store;

    public StrategyFill(VirtualReads reads, OfflineWriter writer, OnlineSync online, DuckDbEngine engine, io.quiver.online.OnlineStore store) {
        this.store = store;
        this.reads = reads;
        this.writer = writer;
        this.online = online;
        this.engine = engine;
    }

    /** What a fill stored: rows offline, entities whose latest values went online. */
    public record Filled(long rows, long entities) {
    }

    /**
     * Runs the fill, reporting to the materialization job it runs as.
     *
     * @throws QuiverException when any step fails
     */
    public Filled fill(GroupSchema schema, io.quiver.online.Materializer.Progress progress) {
        try (ResultCache.Lease result = reads.slice(schema, null, null, null); Connection c = engine.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TEMP VIEW hybrid_fill AS SELECT *, file_row_number AS " + StagedUpload.POSITION + " FROM read_parquet("
                    + DuckDbTypes.literal(result.file().toString()) + ", file_row_number = true)");
            long rows;
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM hybrid_fill")) {
                r.next();
                rows = r.getLong(1);
            }
            progress.started(null, rows, null);
            String select = "SELECT " + ParquetFileWriter.columns(schema).keySet().stream().map(DuckDbTypes::quoteAny)
                    .collect(Collectors.joining(", ")) + " FROM hybrid_fill";
            // the online store is loaded from the written files while they are still here (inside the commit's callback)
            OnlineUpdate update = writer.writeStaged(schema, c, select, rows, WriteMode.OVERWRITE, null, null, online::update);
            if (update.status() == OnlineUpdate.Status.PENDING) {
                throw new QuiverException(ErrorCode.ONLINE_STORE_UNAVAILABLE, "the snapshot was stored but the online store failed ("
                        + update.error() + ")");
            }
            progress.entities(update.entities());
            return new Filled(rows, update.entities());
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not read the query's result to store it", e);
        }
    }

    /**
     * Commits an empty snapshot over the group's stored data and drops its online values (expiry after the grace
     * period); the files go with snapshot expiry.
     */
    public void clear(GroupSchema schema) {
        try (Connection c = engine.connect()) {
            writer.writeStaged(schema, c, "SELECT 1", 0, WriteMode.OVERWRITE, null, null, w -> w);
            store.drop(io.quiver.online.OnlineCodec.table(schema.group()));
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not clear the stored data", e);
        }
    }
}
