package io.quiver.offline;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quiver.columnar.TempDirectory;
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
import jakarta.enterprise.event.Event;

/**
 * The offline write path: validated rows become Parquet files uploaded under the group version's prefix, then one
 * snapshot commits them. A write that fails at any step commits nothing and removes what it uploaded; a commit that
 * loses a race to another writer is rebased on the new head and retried, so concurrent writers all land (APPEND) or
 * the last one wins (OVERWRITE), and no write is lost. Small JSON batches come through {@link #write} and
 * {@link #backfill}; bulk uploads, already validated and staged in DuckDB, through {@link #writeStaged}.
 */
@ApplicationScoped
public class OfflineWriter {

    private static final Logger LOG = Logger.getLogger(OfflineWriter.class);

    private final RegistryCatalog catalog;
    private final ObjectStore objects;
    private final SnapshotLog snapshots;
    private final ObjectFileCache cache;
    private final ParquetFileWriter parquet;
    private final QuiverConfig config;
    private final Event<WriteCommitted> committed;

    public OfflineWriter(RegistryCatalog catalog, ObjectStore objects, SnapshotLog snapshots, ObjectFileCache cache,
            ParquetFileWriter parquet, QuiverConfig config, Event<WriteCommitted> committed) {
        this.catalog = catalog;
        this.objects = objects;
        this.snapshots = snapshots;
        this.cache = cache;
        this.parquet = parquet;
        this.config = config;
        this.committed = committed;
    }

    /** Where a group version's data files live in the object store. */
    public static String dataPrefix(FeatureGroup g) {
        return "groups/" + g.name() + "/v" + g.version() + "/data/";
    }

    /** The schema of a group version that accepts writes (it keeps offline history). */
    public GroupSchema writableSchema(String group, int version) {
        GroupSchema schema = catalog.group(group, version);
        FeatureGroup g = schema.group();
        if (!g.offlineEnabled()) {
            throw new InvalidArgumentException("feature group '" + g.name() + "' version " + g.version()
                    + " has offlineEnabled: false, so it keeps no history; register it with offlineEnabled: true to write");
        }
        return schema;
    }

    public WriteResult write(String group, int version, List<Map<String, Object>> rows, WriteMode mode) {
        Objects.requireNonNull(mode, "mode");
        GroupSchema schema = writableSchema(group, version);
        List<Map<String, Object>> typed = RowValidator.validate(schema, rows);
        try (TempDirectory dir = new TempDirectory("quiver-write"); Uploads uploads = new Uploads(schema.group(), false)) {
            uploads.add(parquet.write(schema, typed, dir.path()));
            return commit(schema, uploads, mode, dir.path());
        }
    }

    /**
     * Replaces exactly the event-time range [start, end) with the rows, which must all lie in it: files that hold
     * rows of the range are rewritten without them, other files are kept, and the new rows are added, in one
     * BACKFILL snapshot. A lost race recomputes the rewrite against the new head.
     */
    public WriteResult backfill(String group, int version, List<Map<String, Object>> rows, Instant start, Instant end) {
        checkRange(start, end);
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
        try (TempDirectory dir = new TempDirectory("quiver-backfill"); Uploads uploads = new Uploads(g, false)) {
            uploads.add(parquet.write(schema, typed, dir.path()));
            return commitBackfill(schema, uploads, start, end, dir.path());
        }
    }

    /**
     * Writes a bulk upload that the caller validated and staged, in sort order, on {@code connection}:
     * {@code select} gives its {@code rows} rows in stored types. They are cut into files, each uploaded while the
     * next is written, then committed as one snapshot: APPEND or OVERWRITE, or a backfill of
     * [backfillStart, backfillEnd) when those are given (the caller checked every row lies in the range).
     */
    public WriteResult writeStaged(GroupSchema schema, Connection connection, String select, long rows, WriteMode mode,
            Instant backfillStart, Instant backfillEnd) {
        if (backfillStart != null || backfillEnd != null) {
            checkRange(backfillStart, backfillEnd);
        }
        FeatureGroup g = schema.group();
        try (TempDirectory dir = new TempDirectory("quiver-bulk"); Uploads uploads = new Uploads(g, true)) {
            parquet.writeSlices(connection, g, select, rows, dir.path(), uploads::add);
            return backfillStart != null ? commitBackfill(schema, uploads, backfillStart, backfillEnd, dir.path())
                    : commit(schema, uploads, Objects.requireNonNull(mode, "mode"), dir.path());
        }
    }

    private WriteResult commit(GroupSchema schema, Uploads uploads, WriteMode mode, Path dir) {
        FeatureGroup g = schema.group();
        List<SnapshotFile> added = uploads.await();
        long rows = added.stream().mapToLong(SnapshotFile::rows).sum();
        QuiverException lastConflict = null;
        for (int attempt = 0; attempt < config.ingest().commitAttempts(); attempt++) {
            Optional<Snapshot> head = snapshots.current(g.name(), g.version());
            List<SnapshotFile> files = new ArrayList<>();
            if (mode == WriteMode.APPEND) {
                head.ifPresent(h -> files.addAll(h.files()));
            }
            files.addAll(added);
            try {
                Snapshot snapshot = snapshots.commit(g, head.map(Snapshot::id).orElse(null),
                        mode == WriteMode.APPEND ? SnapshotOperation.APPEND : SnapshotOperation.OVERWRITE, files);
                uploads.committed(files);
                LOG.debugf("wrote %d rows in %d files to %s@%d as snapshot %d", rows, added.size(), g.name(), g.version(), snapshot.id());
                return new WriteResult(rows, snapshot, afterCommit(schema, uploads, snapshot));
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

    private WriteResult commitBackfill(GroupSchema schema, Uploads uploads, Instant start, Instant end, Path dir) {
        FeatureGroup g = schema.group();
        List<SnapshotFile> added = uploads.await();
        long rows = added.stream().mapToLong(SnapshotFile::rows).sum();
        QuiverException lastConflict = null;
        for (int attempt = 0; attempt < config.ingest().commitAttempts(); attempt++) {
            Optional<Snapshot> head = snapshots.current(g.name(), g.version());
            List<SnapshotFile> files = new ArrayList<>();
            List<SnapshotFile> rewrites = new ArrayList<>();
            for (SnapshotFile f : head.map(Snapshot::files).orElse(List.of())) {
                boolean overlaps = f.minEventTime() != null && f.minEventTime().isBefore(end) && !f.maxEventTime().isBefore(start);
                if (!overlaps) {
                    files.add(f);
                    continue;
                }
                Path target = dir.resolve(UUID.randomUUID() + ".parquet");
                Optional<ParquetFileWriter.Written> rest;
                try (ObjectFileCache.Lease source = cache.lease(List.of(f.key()))) {
                    rest = parquet.rewriteWithout(schema, source.path(f.key()), start, end, target);
                }
                if (rest.isPresent()) {
                    SnapshotFile rewritten = uploads.uploadNow(rest.get());
                    files.add(rewritten);
                    rewrites.add(rewritten);
                }
            }
            files.addAll(added);
            try {
                Snapshot snapshot = snapshots.commit(g, head.map(Snapshot::id).orElse(null), SnapshotOperation.BACKFILL, files);
                uploads.committed(files);
                return new WriteResult(rows, snapshot, afterCommit(schema, uploads, snapshot));
            } catch (QuiverException e) {
                if (e.code() != ErrorCode.CONFLICT) {
                    throw e;
                }
                lastConflict = e;
                // Rewrites of the old head are useless now; keep only the new rows' files for the next attempt.
                uploads.discard(rewrites);
            }
        }
        throw new QuiverException(ErrorCode.CONFLICT, "feature group '" + g.name() + "' version " + g.version()
                + " kept changing under the backfill; nothing was committed, retry later", lastConflict);
    }

    /** Tells the online store about the committed rows while their files are still local. */
    private OnlineUpdate afterCommit(GroupSchema schema, Uploads uploads, Snapshot snapshot) {
        WriteCommitted event = new WriteCommitted(schema, uploads.localFiles(), snapshot, uploads.minEventTime());
        try {
            committed.fire(event);
        } catch (RuntimeException e) {
            // the observer flags its own failures; anything else must not turn a committed write into an error
            LOG.errorf(e, "after the commit of snapshot %d of %s@%d", snapshot.id(), schema.group().name(), schema.group().version());
            return new OnlineUpdate(OnlineUpdate.Status.PENDING, 0, e.getMessage());
        }
        return event.online();
    }

    private static void checkRange(Instant start, Instant end) {
        if (start == null || end == null || !start.isBefore(end)) {
            throw new InvalidArgumentException("a backfill needs start before end, the range [start, end) it replaces; got ["
                    + start + ", " + end + ")");
        }
    }

    private static Instant eventTime(Object typed) {
        return typed instanceof LocalDate d ? d.atStartOfDay().toInstant(ZoneOffset.UTC) : (Instant) typed;
    }

    /**
     * The files one write uploads, in order. In the background (bulk writes: uploading overlaps writing the next
     * file) or at once. On close, every uploaded file no commit took is removed again.
     */
    private final class Uploads implements AutoCloseable {
        private final FeatureGroup group;
        private final ExecutorService background;
        private final List<Future<SnapshotFile>> pending = new ArrayList<>();
        private final List<String> uncommitted = Collections.synchronizedList(new ArrayList<>());
        private final List<Path> local = Collections.synchronizedList(new ArrayList<>());
        private Instant minEventTime;

        Uploads(FeatureGroup group, boolean inBackground) {
            this.group = group;
            this.background = inBackground ? Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "quiver-upload-" + group.name());
                t.setDaemon(true);
                return t;
            }) : null;
        }

        void add(ParquetFileWriter.Written written) {
            local.add(written.file());
            if (written.minEventTime() != null && (minEventTime == null || written.minEventTime().isBefore(minEventTime))) {
                minEventTime = written.minEventTime();
            }
            if (background == null) {
                pending.add(CompletableFuture.completedFuture(uploadNow(written)));
            } else {
                pending.add(background.submit(() -> uploadNow(written)));
            }
        }

        SnapshotFile uploadNow(ParquetFileWriter.Written written) {
            String key = dataPrefix(group) + UUID.randomUUID() + ".parquet";
            uncommitted.add(key); // before the upload: a failed upload may still leave a partial object behind
            objects.put(key, written.file());
            return new SnapshotFile(key, written.rows(), written.bytes(), written.minEventTime(), written.maxEventTime());
        }

        /** Waits for every upload; the first failure fails the write. */
        List<SnapshotFile> await() {
            List<SnapshotFile> files = new ArrayList<>();
            for (Future<SnapshotFile> f : pending) {
                try {
                    files.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "the write was interrupted; nothing was committed", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof QuiverException q) {
                        throw q;
                    }
                    throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "uploading a data file failed: "
                            + e.getCause().getMessage() + "; nothing was committed", e.getCause());
                }
            }
            return files;
        }

        /** The earliest event time among the new rows. */
        Instant minEventTime() {
            return minEventTime;
        }

        /** The new rows' local files (not backfill rewrites of older files), in write order. */
        List<Path> localFiles() {
            synchronized (local) {
                return List.copyOf(local);
            }
        }

        void committed(List<SnapshotFile> files) {
            files.forEach(f -> uncommitted.remove(f.key()));
        }

        void discard(List<SnapshotFile> files) {
            files.forEach(f -> {
                uncommitted.remove(f.key());
                removeQuietly(f.key());
            });
        }

        @Override
        public void close() {
            if (background != null) {
                background.shutdownNow();
                try {
                    background.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            List<String> left;
            synchronized (uncommitted) {
                left = List.copyOf(uncommitted);
            }
            left.forEach(OfflineWriter.this::removeQuietly);
        }
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
