package io.quiver.ingest;

import io.quiver.access.AccessPath;
import io.quiver.access.AccessRecorder;
import io.quiver.config.Mode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.quiver.error.InvalidArgumentException;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;
import io.quiver.offline.BackfillRange;
import io.quiver.offline.CommittedWrite;
import io.quiver.offline.OfflineWriter;
import io.quiver.offline.WriteMode;
import io.quiver.online.OnlineSync;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The write path for small JSON batches (GraphQL {@code write}): the whole batch is validated and typed
 * ({@link RowValidator}), committed offline as one snapshot ({@link OfflineWriter}), then its latest values go
 * online ({@link OnlineSync}) while the written files are still local. Bulk uploads take the same road through
 * {@link BulkIngestService}.
 */
@ApplicationScoped
public class WriteService {

    private final OfflineWriter writer;
    private final OnlineSync online;
    private final AccessRecorder access;

    public WriteService(OfflineWriter writer, OnlineSync online, AccessRecorder access) {
        this.access = access;
        this.writer = writer;
        this.online = online;
    }

    /**
     * @param mode APPEND or OVERWRITE; null means APPEND (never a destructive default)
     * @param backfill when given, the rows replace exactly this event-time range instead (they must all lie in it)
     */
    public WriteResult write(String group, int version, List<Map<String, Object>> rows, WriteMode mode, BackfillRange backfill) {
        if (backfill != null && mode == WriteMode.OVERWRITE) {
            throw new InvalidArgumentException("give either mode: OVERWRITE or backfill, not both");
        }
        GroupSchema schema = writer.writableSchema(group, version);
        long t0 = System.nanoTime();
        try {
            WriteResult result = write(schema, rows, mode, backfill);
            access.access(schema.group().name(), AccessPath.WRITE, Mode.MATERIALIZED, System.nanoTime() - t0, result.rowsWritten(), 0);
            return result;
        } catch (RuntimeException e) {
            access.failure(schema.group().name(), AccessPath.WRITE);
            throw e;
        }
    }

    private WriteResult write(GroupSchema schema, List<Map<String, Object>> rows, WriteMode mode, BackfillRange backfill) {
        List<Map<String, Object>> typed = RowValidator.validate(schema, rows);
        if (backfill == null) {
            return writer.write(schema, typed, mode == null ? WriteMode.APPEND : mode, this::result);
        }
        checkInRange(schema, typed, backfill.start(), backfill.end());
        return writer.backfill(schema, typed, backfill.start(), backfill.end(), this::result);
    }

    /** The write's answer: what it committed and what the online store took. */
    WriteResult result(CommittedWrite write) {
        return new WriteResult(write.rows(), write.snapshot(), online.update(write));
    }

    private static void checkInRange(GroupSchema schema, List<Map<String, Object>> typed, Instant start, Instant end) {
        if (start == null || end == null || !start.isBefore(end)) {
            return; // the writer refuses the range itself, with its own message
        }
        String column = schema.group().eventTimestampColumn();
        Violations violations = new Violations();
        for (int i = 0; i < typed.size(); i++) {
            Instant t = eventTime(typed.get(i).get(column));
            if (t.isBefore(start) || !t.isBefore(end)) {
                violations.add("rows[" + i + "]." + column, ValidationRule.OUTSIDE_BACKFILL_RANGE,
                        t + " is outside the backfill range [" + start + ", " + end + ")");
            }
        }
        violations.throwIfAny("The backfill batch", true);
    }

    private static Instant eventTime(Object typed) {
        return typed instanceof LocalDate d ? d.atStartOfDay().toInstant(ZoneOffset.UTC) : (Instant) typed;
    }
}
