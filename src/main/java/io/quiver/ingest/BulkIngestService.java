package io.quiver.ingest;

import io.quiver.access.AccessPath;
import io.quiver.access.AccessRecorder;
import io.quiver.config.Mode;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import io.quiver.columnar.ColumnarFormat;
import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.columnar.StagedUpload;
import io.quiver.columnar.TempDirectory;
import io.quiver.columnar.UploadSlots;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.offline.OfflineWriter;
import io.quiver.offline.WriteMode;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Bulk writes: an Arrow IPC stream or Parquet file is staged in DuckDB as it arrives, checked whole against the
 * group version's schema ({@link ColumnarValidator}), then sorted into data files and committed as one snapshot by
 * {@link OfflineWriter}. A rejected, truncated or unreadable upload writes nothing.
 */
@ApplicationScoped
public class BulkIngestService {

    private static final Logger LOG = Logger.getLogger(BulkIngestService.class);

    private final OfflineWriter writer;
    private final WriteService writes;
    private final DuckDbEngine engine;
    private final UploadSlots slots;
    private final StagedUpload.Limits limits;
    private final AccessRecorder access;

    public BulkIngestService(OfflineWriter writer, WriteService writes, DuckDbEngine engine, UploadSlots slots, QuiverConfig config,
            AccessRecorder access) {
        this.access = access;
        this.writer = writer;
        this.writes = writes;
        this.engine = engine;
        this.slots = slots;
        this.limits = StagedUpload.Limits.of(config);
    }

    /**
     * @param mode APPEND or OVERWRITE; ignored for a backfill
     * @param backfillStart with {@code backfillEnd}: replace exactly this event-time range instead; null otherwise
     */
    public WriteResult write(String group, int version, ColumnarFormat format, InputStream body, WriteMode mode,
            Instant backfillStart, Instant backfillEnd) {
        if ((backfillStart == null) != (backfillEnd == null)) {
            throw new InvalidArgumentException("a backfill needs both backfillStart and backfillEnd, the range [start, end) it replaces");
        }
        if (backfillStart != null && mode == WriteMode.OVERWRITE) {
            throw new InvalidArgumentException("give either mode=OVERWRITE or a backfill range, not both");
        }
        // The group is looked up before the body is read: an unknown group fails at once.
        GroupSchema schema = writer.writableSchema(group, version);
        try (UploadSlots.Slot slot = slots.acquire(); TempDirectory dir = new TempDirectory("quiver-upload"); Connection c = engine.connect()) {
            long t0 = System.nanoTime();
            StagedUpload upload = StagedUpload.stage(c, format, body, "the upload", dir.path(), limits, sortOrder(schema));
            long t1 = System.nanoTime();
            String select = ColumnarValidator.validate(c, upload, schema, backfillStart, backfillEnd);
            long t2 = System.nanoTime();
            WriteResult result = writer.writeStaged(schema, c, select, upload.rows(), mode == null ? WriteMode.APPEND : mode,
                    backfillStart, backfillEnd, writes::result);
            long t3 = System.nanoTime();
            access.access(schema.group().name(), AccessPath.WRITE, Mode.MATERIALIZED, t3 - t0, result.rowsWritten(), 0);
            LOG.infof("bulk write of %d rows to %s@%d: received and staged in %d ms, checked in %d ms, sorted, written, uploaded "
                    + "and committed in %d ms (snapshot %d, %d files)", result.rowsWritten(), schema.group().name(), schema.group().version(),
                    (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, result.snapshot().id(), result.snapshot().addedFileCount());
            return result;
        } catch (RuntimeException e) {
            access.failure(schema.group().name(), AccessPath.WRITE);
            throw e;
        } catch (SQLException e) {
            access.failure(schema.group().name(), AccessPath.WRITE);
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "the bulk write to " + group
                    + " failed in the query engine; nothing was committed, retry it", e);
        }
    }

    /** Data files are sorted by entity keys, event time, created time; the upload is sorted so while it is staged. */
    private static List<StagedUpload.SortColumn> sortOrder(GroupSchema schema) {
        FeatureGroup g = schema.group();
        List<StagedUpload.SortColumn> order = new ArrayList<>();
        g.entityKeys().forEach(k -> order.add(new StagedUpload.SortColumn(k.name(), DuckDbTypes.of(FeatureDataType.scalar(k.valueType())))));
        order.add(new StagedUpload.SortColumn(g.eventTimestampColumn(), "TIMESTAMPTZ"));
        if (g.createdTimestampColumn() != null) {
            order.add(new StagedUpload.SortColumn(g.createdTimestampColumn(), "TIMESTAMPTZ"));
        }
        return order;
    }
}
