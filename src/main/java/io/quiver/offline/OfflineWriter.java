package io.quiver.offline;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.jboss.logging.Logger;

import io.quiver.columnar.TempDirectory;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The offline write path: validated rows become Parquet files uploaded under the group version's data prefix, then
 * one snapshot commits them (a {@link WriteSessions.Session} runs the protocol: intent, uploads, commit, clean-up).
 * A write that fails commits nothing and removes what it uploaded once it is sure its commit did not land. Appends
 * and overwrites never conflict (concurrent appends all land; the last overwrite wins); a backfill that loses a race
 * is rebuilt on the new head and retried, so no write is lost. Small JSON batches come through {@link #write} and
 * {@link #backfill}; bulk uploads, already validated and staged in DuckDB, through {@link #writeStaged}. Rows arrive
 * validated (the {@code ingest} package checks them); once the snapshot committed, the caller's {@link AfterCommit}
 * runs while the written files are still local (the online write-through) and its result is the write's.
 */
@ApplicationScoped
public class OfflineWriter {

    private static final Logger LOG = Logger.getLogger(OfflineWriter.class);

    private final RegistryCatalog catalog;
    private final EffectiveConfigResolver settings;
    private final WriteSessions sessions;
    private final SnapshotLog snapshots;
    private final ObjectFileCache cache;
    private final ParquetFileWriter parquet;

    public OfflineWriter(RegistryCatalog catalog, WriteSessions sessions, SnapshotLog snapshots, ObjectFileCache cache,
            ParquetFileWriter parquet, EffectiveConfigResolver settings) {
        this.settings = settings;
        this.catalog = catalog;
        this.sessions = sessions;
        this.snapshots = snapshots;
        this.cache = cache;
        this.parquet = parquet;
    }

    /** The schema of a group version that accepts writes (it keeps offline history). */
    public GroupSchema writableSchema(String group, int version) {
        GroupSchema schema = catalog.group(group, version);
        FeatureGroup g = schema.group();
        settings.requireStoredData(g, "write to");
        if (!g.offlineEnabled()) {
            throw new InvalidArgumentException("feature group '" + g.name() + "' version " + g.version()
                    + " has offlineEnabled: false, so it keeps no history; register it with offlineEnabled: true to write");
        }
        return schema;
    }

    /** Writes rows that {@code RowValidator} typed for this schema as one APPEND or OVERWRITE snapshot. */
    public <T> T write(GroupSchema schema, List<Map<String, Object>> typed, WriteMode mode, AfterCommit<T> then) {
        Objects.requireNonNull(mode, "mode");
        try (TempDirectory dir = new TempDirectory("quiver-write");
                WriteSessions.Session session = sessions.open(schema.group(), operation(mode), false)) {
            List<LocalFile> local = new ArrayList<>();
            upload(session, local, parquet.write(schema, typed, dir.path()));
            return commit(schema, session, mode, local, then);
        }
    }

    /**
     * Replaces exactly the event-time range [start, end) with typed rows that all lie in it (the caller checked):
     * files that hold rows of the range are rewritten without them, other files are kept, and the new rows are
     * added, in one BACKFILL snapshot. A lost race recomputes the rewrite against the new head.
     */
    public <T> T backfill(GroupSchema schema, List<Map<String, Object>> typed, Instant start, Instant end, AfterCommit<T> then) {
        checkRange(start, end);
        try (TempDirectory dir = new TempDirectory("quiver-backfill");
                WriteSessions.Session session = sessions.open(schema.group(), SnapshotOperation.BACKFILL, false)) {
            List<LocalFile> local = new ArrayList<>();
            upload(session, local, parquet.write(schema, typed, dir.path()));
            return commitBackfill(schema, session, start, end, dir.path(), local, then);
        }
    }

    /**
     * Writes a bulk upload that the caller validated and staged, in sort order, on {@code connection}:
     * {@code select} gives its {@code rows} rows in stored types. They are cut into files, each uploaded while the
     * next is written, then committed as one snapshot: APPEND or OVERWRITE, or a backfill of
     * [backfillStart, backfillEnd) when those are given (the caller checked every row lies in the range).
     */
    public <T> T writeStaged(GroupSchema schema, Connection connection, String select, long rows, WriteMode mode,
            Instant backfillStart, Instant backfillEnd, AfterCommit<T> then) {
        if (backfillStart != null || backfillEnd != null) {
            checkRange(backfillStart, backfillEnd);
        }
        FeatureGroup g = schema.group();
        SnapshotOperation operation = backfillStart != null ? SnapshotOperation.BACKFILL : operation(Objects.requireNonNull(mode, "mode"));
        try (TempDirectory dir = new TempDirectory("quiver-bulk"); WriteSessions.Session session = sessions.open(g, operation, true)) {
            List<LocalFile> local = java.util.Collections.synchronizedList(new ArrayList<>());
            parquet.writeSlices(connection, g, select, rows, dir.path(), w -> upload(session, local, w));
            return backfillStart != null ? commitBackfill(schema, session, backfillStart, backfillEnd, dir.path(), local, then)
                    : commit(schema, session, mode, local, then);
        }
    }

    /**
     * Commits the data files an engine wrote itself ({@link ExternalWrite}: a fill computed on Spark) as one OVERWRITE
     * snapshot of the version. With {@code direct} the engine writes into the object store, in a directory of this
     * write's own under the version's data prefix, and no data passes through this service; otherwise it writes into a
     * local directory whose files are uploaded like the service's own. Either way the commit runs the same protocol
     * (intent, size checks, clean-up of a write that did not land); the {@link CommittedWrite} lists the local files,
     * none when direct.
     */
    public <T> T writeExternal(GroupSchema schema, boolean direct, ExternalWrite engine, AfterCommit<T> then) {
        FeatureGroup g = schema.group();
        try (TempDirectory dir = new TempDirectory("quiver-external");
                WriteSessions.Session session = sessions.open(g, SnapshotOperation.OVERWRITE, !direct)) {
            List<LocalFile> local = java.util.Collections.synchronizedList(new ArrayList<>());
            if (direct) {
                session.adopt(engine.write(session.directoryUri()));
            } else {
                Path out = dir.path().resolve("out");
                for (ExternalWrite.File f : engine.write(out.toUri().toString())) {
                    Path file = out.resolve(io.quiver.objectstore.ObjectKeys.check(f.name()));
                    upload(session, local, new ParquetFileWriter.Written(file, f.rows(), java.nio.file.Files.size(file), f.minEventTime(),
                            f.maxEventTime(), f.minKey(), f.maxKey()));
                }
            }
            return commit(schema, session, WriteMode.OVERWRITE, local, then);
        } catch (java.io.IOException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "a data file the engine wrote for " + g.name() + " version "
                    + g.version() + " could not be read; nothing was committed, retry", e);
        }
    }

    private <T> T commit(GroupSchema schema, WriteSessions.Session session, WriteMode mode, List<LocalFile> local, AfterCommit<T> then) {
        List<SnapshotFile> added = session.await();
        long rows = added.stream().mapToLong(SnapshotFile::rows).sum();
        Snapshot snapshot = session.commit(() -> mode == WriteMode.APPEND ? SnapshotChange.append(added) : SnapshotChange.overwrite(added));
        FeatureGroup g = schema.group();
        LOG.debugf("wrote %d rows in %d files to %s@%d as snapshot %d", rows, added.size(), g.name(), g.version(), snapshot.id());
        return then.committed(committed(schema, rows, snapshot, local));
    }

    /**
     * A backfill's commit: the head's files whose event-time range overlaps [start, end) are rewritten without the
     * range's rows (each rewrite keeps its file's place in the write order), the new rows' files are added. Built
     * again on the new head when another write lands first; rewrites of an old head are discarded.
     */
    private <T> T commitBackfill(GroupSchema schema, WriteSessions.Session session, Instant start, Instant end, Path dir,
            List<LocalFile> local, AfterCommit<T> then) {
        FeatureGroup g = schema.group();
        List<SnapshotFile> added = session.await();
        long rows = added.stream().mapToLong(SnapshotFile::rows).sum();
        List<SnapshotFile> rewrites = new ArrayList<>();
        Snapshot snapshot = session.commit(() -> {
            session.discard(rewrites);
            rewrites.clear();
            Optional<Snapshot> head = snapshots.current(g);
            List<String> removed = new ArrayList<>();
            List<SnapshotChange.Added> change = new ArrayList<>();
            for (SnapshotFile f : head.map(snapshots::files).orElse(List.of())) {
                boolean overlaps = f.minEventTime() != null && f.minEventTime().isBefore(end) && !f.maxEventTime().isBefore(start);
                if (!overlaps) {
                    continue;
                }
                removed.add(f.key());
                Path target = dir.resolve(UUID.randomUUID() + ".parquet");
                Optional<ParquetFileWriter.Written> rest;
                try (ObjectFileCache.Lease source = cache.leaseFiles(List.of(f))) {
                    rest = parquet.rewriteWithout(schema, source.path(f.key()), start, end, target);
                }
                if (rest.isPresent()) {
                    SnapshotFile rewritten = session.uploadNow(rest.get());
                    rewrites.add(rewritten);
                    change.add(new SnapshotChange.Added(rewritten, f.key()));
                }
            }
            added.forEach(f -> change.add(new SnapshotChange.Added(f, null)));
            return SnapshotChange.rewrite(SnapshotOperation.BACKFILL, head.map(Snapshot::id).orElse(null), removed, change);
        });
        return then.committed(committed(schema, rows, snapshot, local));
    }

    private static CommittedWrite committed(GroupSchema schema, long rows, Snapshot snapshot, List<LocalFile> local) {
        Instant minEventTime = local.stream().map(LocalFile::minEventTime).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        return new CommittedWrite(schema, rows, snapshot, local.stream().map(LocalFile::path).toList(), minEventTime);
    }

    private static SnapshotOperation operation(WriteMode mode) {
        return mode == WriteMode.APPEND ? SnapshotOperation.APPEND : SnapshotOperation.OVERWRITE;
    }

    private static void checkRange(Instant start, Instant end) {
        if (start == null || end == null || !start.isBefore(end)) {
            throw new InvalidArgumentException("a backfill needs start before end, the range [start, end) it replaces; got ["
                    + start + ", " + end + ")");
        }
    }


    /** A written file still on local disk: the online update reads the new rows from it. */
    private record LocalFile(Path path, Instant minEventTime) {
    }

    /** Uploads the written file and remembers it for the online update. */
    private static void upload(WriteSessions.Session session, List<LocalFile> local, ParquetFileWriter.Written written) {
        local.add(new LocalFile(written.file(), written.minEventTime()));
        session.add(written);
    }
}
