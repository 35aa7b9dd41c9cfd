package io.quiver.offline;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.ingest.RowValidator;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The offline write path: validate the whole batch, write it as one Parquet file, upload it under the group
 * version's prefix, then commit a snapshot. A write that fails at any step commits nothing and removes what it
 * uploaded; a commit that loses a race to another writer is rebased on the new head and retried, so concurrent
 * writers all land (APPEND) or the last one wins (OVERWRITE), and no write is lost.
 */
@ApplicationScoped
public class OfflineWriter {

    private static final Logger LOG = Logger.getLogger(OfflineWriter.class);

    private final RegistryCatalog catalog;
    private final ObjectStore objects;
    private final SnapshotLog snapshots;
    private final ObjectFileCache cache;
    private final QuiverConfig config;

    public OfflineWriter(RegistryCatalog catalog, ObjectStore objects, SnapshotLog snapshots, ObjectFileCache cache,
            QuiverConfig config) {
        this.catalog = catalog;
        this.objects = objects;
        this.snapshots = snapshots;
        this.cache = cache;
        this.config = config;
    }

    /** Where a group version's data files live in the object store. */
    public static String dataPrefix(FeatureGroup g) {
        return "groups/" + g.name() + "/v" + g.version() + "/data/";
    }

    public WriteResult write(String group, int version, List<Map<String, Object>> rows, WriteMode mode) {
        java.util.Objects.requireNonNull(mode, "mode");
        GroupSchema schema = writableSchema(group, version);
        FeatureGroup g = schema.group();
        List<Map<String, Object>> typed = RowValidator.validate(schema, rows);

        String key = dataPrefix(g) + UUID.randomUUID() + ".parquet";
        boolean uploaded = false;
        try (TempDirectory dir = new TempDirectory("quiver-write")) {
            ParquetFileWriter.Written written = ParquetFileWriter.write(schema, typed, dir.path());
            objects.put(key, written.file());
            uploaded = true;
            SnapshotFile file = new SnapshotFile(key, written.rows(), written.bytes(), written.minEventTime(), written.maxEventTime());
            Snapshot snapshot = commit(g, mode, file);
            uploaded = false; // committed: the file belongs to the snapshot now
            LOG.debugf("wrote %d rows to %s@%d as snapshot %d", written.rows(), g.name(), g.version(), snapshot.id());
            return new WriteResult(written.rows(), snapshot);
        } finally {
            if (uploaded) {
                removeQuietly(key);
            }
        }
    }

    /**
     * Replaces exactly the event-time range [start, end) with the rows, which must all lie in it: files that hold
     * rows of the range are rewritten without them, other files are kept, and the new rows are added, in one
     * BACKFILL snapshot. A lost race recomputes the rewrite against the new head.
     */
    public WriteResult backfill(String group, int version, List<Map<String, Object>> rows, Instant start, Instant end) {
        if (start == null || end == null || !start.isBefore(end)) {
            throw new InvalidArgumentException("a backfill needs start before end, the range [start, end) it replaces; got ["
                    + start + ", " + end + ")");
        }
        GroupSchema schema = writableSchema(group, version);
        FeatureGroup g = schema.group();
        List<Map<String, Object>> typed = RowValidator.validate(schema, rows);
        List<Violation> outside = new ArrayList<>();
        for (int i = 0; i < typed.size(); i++) {
            Instant t = eventTime(typed.get(i).get(g.eventTimestampColumn()));
            if (t.isBefore(start) || !t.isBefore(end)) {
                outside.add(new Violation("rows[" + i + "]." + g.eventTimestampColumn(), "OUTSIDE_BACKFILL_RANGE",
                        t + " is outside the backfill range [" + start + ", " + end + ")"));
            }
        }
        if (!outside.isEmpty()) {
            throw new SchemaValidationException("The backfill batch", outside.subList(0, Math.min(outside.size(), RowValidator.MAX_LISTED)),
                    outside.size());
        }
        List<String> uploaded = new ArrayList<>();
        try (TempDirectory dir = new TempDirectory("quiver-backfill")) {
            ParquetFileWriter.Written written = ParquetFileWriter.write(schema, typed, dir.path());
            SnapshotFile added = upload(g, written, uploaded);
            QuiverException lastConflict = null;
            for (int attempt = 0; attempt < config.ingest().commitAttempts(); attempt++) {
                Optional<Snapshot> head = snapshots.current(g.name(), g.version());
                List<SnapshotFile> files = new ArrayList<>();
                for (SnapshotFile f : head.map(Snapshot::files).orElse(List.of())) {
                    boolean overlaps = f.minEventTime() != null && f.minEventTime().isBefore(end) && !f.maxEventTime().isBefore(start);
                    if (!overlaps) {
                        files.add(f);
                        continue;
                    }
                    Path target = dir.path().resolve(UUID.randomUUID() + ".parquet");
                    Optional<ParquetFileWriter.Written> rest = ParquetFileWriter.rewriteWithout(schema, cache.get(f.key()), start, end, target);
                    if (rest.isPresent()) {
                        files.add(upload(g, rest.get(), uploaded));
                    }
                }
                files.add(added);
                try {
                    Snapshot snapshot = snapshots.commit(g, head.map(Snapshot::id).orElse(null), SnapshotOperation.BACKFILL, files);
                    uploaded.removeIf(k -> files.stream().anyMatch(f -> f.key().equals(k)));
                    return new WriteResult(written.rows(), snapshot);
                } catch (QuiverException e) {
                    if (e.code() != ErrorCode.CONFLICT) {
                        throw e;
                    }
                    lastConflict = e;
                    // Rewrites of the old head are useless now; keep only the new rows' file for the next attempt.
                    List<String> stale = uploaded.stream().filter(k -> !k.equals(added.key())).toList();
                    stale.forEach(this::removeQuietly);
                    uploaded.removeAll(stale);
                }
            }
            throw new QuiverException(ErrorCode.CONFLICT, "feature group '" + g.name() + "' version " + g.version()
                    + " kept changing under the backfill; nothing was committed, retry later", lastConflict);
        } finally {
            uploaded.forEach(this::removeQuietly);
        }
    }

    private SnapshotFile upload(FeatureGroup g, ParquetFileWriter.Written written, List<String> uploaded) {
        String key = dataPrefix(g) + UUID.randomUUID() + ".parquet";
        objects.put(key, written.file());
        uploaded.add(key);
        return new SnapshotFile(key, written.rows(), written.bytes(), written.minEventTime(), written.maxEventTime());
    }

    private static Instant eventTime(Object typed) {
        return typed instanceof java.time.LocalDate d ? d.atStartOfDay().toInstant(java.time.ZoneOffset.UTC) : (Instant) typed;
    }

    private Snapshot commit(FeatureGroup g, WriteMode mode, SnapshotFile file) {
        QuiverException lastConflict = null;
        for (int attempt = 0; attempt < config.ingest().commitAttempts(); attempt++) {
            Optional<Snapshot> head = snapshots.current(g.name(), g.version());
            List<SnapshotFile> files = new ArrayList<>();
            if (mode == WriteMode.APPEND) {
                head.ifPresent(h -> files.addAll(h.files()));
            }
            files.add(file);
            try {
                return snapshots.commit(g, head.map(Snapshot::id).orElse(null),
                        mode == WriteMode.APPEND ? SnapshotOperation.APPEND : SnapshotOperation.OVERWRITE, files);
            } catch (QuiverException e) {
                if (e.code() != ErrorCode.CONFLICT) {
                    throw e;
                }
                lastConflict = e;
            }
        }
        throw new QuiverException(ErrorCode.CONFLICT, "feature group '" + g.name() + "' version " + g.version()
                + " is being written by others so often that this write lost " + config.ingest().commitAttempts()
                + " commits in a row; nothing was committed, retry later", lastConflict);
    }

    private GroupSchema writableSchema(String group, int version) {
        GroupSchema schema = catalog.group(group, version);
        FeatureGroup g = schema.group();
        if (!g.offlineEnabled()) {
            throw new InvalidArgumentException("feature group '" + g.name() + "' version " + g.version()
                    + " has offlineEnabled: false, so it keeps no history; register it with offlineEnabled: true to write");
        }
        return schema;
    }

    private void removeQuietly(String key) {
        try {
            objects.delete(List.of(key));
        } catch (QuiverException e) {
            // A sweeper removes files no snapshot references; the write already failed for its own reason.
            LOG.warnf("could not remove uncommitted file %s: %s", key, e.getMessage());
        }
    }
}
