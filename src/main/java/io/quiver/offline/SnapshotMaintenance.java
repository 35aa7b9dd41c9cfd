package io.quiver.offline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quiver.columnar.TempDirectory;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps a group version's offline data tidy: retention (forget old snapshots, delete the files only they used), the
 * sweep of files that no snapshot records and no live write intends to commit, and compaction of many small files
 * into one. The sweep also runs on a schedule over every group version and the prefixes of deleted ones.
 */
@ApplicationScoped
public class SnapshotMaintenance {

    private static final Logger LOG = Logger.getLogger(SnapshotMaintenance.class);

    private final RegistryCatalog catalog;
    private final SnapshotLog snapshots;
    private final WriteIntents intents;
    private final WriteSessions sessions;
    private final DeletedPrefixes deletedPrefixes;
    private final ObjectStore objects;
    private final ObjectFileCache cache;
    private final ParquetFileWriter parquet;
    private final Duration sweepGrace;
    /** The longest a request may hold a file it staged under {@link #SCRATCH}: a Spark query's time limit. */
    private final Duration scratchHold;

    /** Where requests stage files for a scale-out engine; nothing refers to them once the request ended. */
    public static final String SCRATCH = "_scratch/";

    public SnapshotMaintenance(RegistryCatalog catalog, SnapshotLog snapshots, WriteIntents intents, WriteSessions sessions,
            DeletedPrefixes deletedPrefixes, ObjectStore objects, ObjectFileCache cache, ParquetFileWriter parquet, QuiverConfig config) {
        this.catalog = catalog;
        this.snapshots = snapshots;
        this.intents = intents;
        this.sessions = sessions;
        this.deletedPrefixes = deletedPrefixes;
        this.objects = objects;
        this.cache = cache;
        this.parquet = parquet;
        this.sweepGrace = config.offline().sweepGrace();
        this.scratchHold = config.spark().queryTimeout();
    }

    /**
     * Forgets snapshots committed before {@code olderThan}, keeping at least the newest {@code keepLast} (and always
     * the head), deletes the data files no kept snapshot uses, then sweeps.
     */
    public ExpireResult expire(String group, int version, Instant olderThan, int keepLast) {
        if (olderThan == null || keepLast < 1) {
            throw new InvalidArgumentException("expiry needs olderThan and keepLast >= 1 (the current state is always kept)");
        }
        FeatureGroup g = catalog.group(group, version).group();
        SnapshotLog.Expired expired = snapshots.expire(g, olderThan, keepLast);
        // the rows are gone: a failure here leaves files that no snapshot records, which the sweep removes later
        objects.delete(expired.freedKeys());
        List<String> deleted = new ArrayList<>(expired.freedKeys());
        deleted.addAll(sweep(g));
        LOG.infof("expired %d snapshots and %d files of %s@%d", expired.snapshots().size(), deleted.size(), g.name(), g.version());
        return new ExpireResult(expired.snapshots(), deleted);
    }

    /**
     * Deletes the group version's data files that no snapshot row records, no live write intent claims, and that are
     * older than {@code quiver.offline.sweep-grace}. Intents not renewed for that long are fenced first, so their
     * commits can no longer land. Files directly in the version's data prefix are considered, and those in a write's own
     * directory ({@code <id>_files/}, where an engine wrote them).
     *
     * @return the keys deleted
     */
    public List<String> sweep(FeatureGroup g) {
        // Order matters: live intents before recorded keys. A commit landing in between consumed an intent seen live,
        // so its files are kept either way; the other order could miss both.
        Set<String> live = intents.fenceExpiredAndListLive(g);
        Set<String> recorded = snapshots.recordedKeys(g);
        Instant graceLimit = Instant.now().minus(sweepGrace);
        List<String> doomed = new ArrayList<>();
        for (ObjectInfo o : objects.list(g.dataPrefix())) {
            String name = o.key().substring(g.dataPrefix().length());
            if (recorded.contains(o.key()) || !sweepable(name)) {
                continue;
            }
            int slash = name.indexOf('/');
            String writeId = WriteSessions.writeIdOf(slash < 0 ? name : name.substring(0, slash));
            if ((writeId == null || !live.contains(writeId)) && o.lastModified().isBefore(graceLimit)) {
                doomed.add(o.key());
            }
        }
        objects.delete(doomed);
        if (!doomed.isEmpty()) {
            LOG.infof("swept %d files of %s@%d that no snapshot uses", doomed.size(), g.name(), g.version());
        }
        return doomed;
    }

    /** Whether a file under a data prefix is the sweeper's: directly in it, or in a write's own directory (an engine's output). */
    private static boolean sweepable(String name) {
        int slash = name.indexOf('/');
        return slash < 0 || WriteSessions.writeIdOf(name.substring(0, slash)) != null;
    }

    /**
     * Deletes files staged under {@code _scratch/} before {@code before}. A request removes what it staged when it
     * ends, whatever its outcome; these are left by a process that died mid-request.
     *
     * @return the keys deleted
     */
    public List<String> sweepScratch(Instant before) {
        List<String> doomed = objects.list(SCRATCH).stream().filter(o -> o.lastModified().isBefore(before)).map(ObjectInfo::key).toList();
        objects.delete(doomed);
        if (!doomed.isEmpty()) {
            LOG.infof("swept %d staged files that outlived their requests", doomed.size());
        }
        return doomed;
    }

    /** The scheduled sweep: every group version, then the prefixes of deleted versions, then staged files left behind. */
    @Scheduled(every = "${quiver.offline.sweep-interval:PT1H}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepAll() {
        int swept = 0;
        for (FeatureGroup g : catalog.allGroupVersions()) {
            try {
                swept += sweep(g).size();
            } catch (QuiverException e) {
                LOG.warnf("could not sweep %s@%d: %s", g.name(), g.version(), e.getMessage());
            }
        }
        swept += sweepDeleted();
        try {
            swept += sweepScratch(Instant.now().minus(scratchHold).minus(sweepGrace)).size();
        } catch (QuiverException e) {
            LOG.warnf("could not sweep staged files: %s", e.getMessage());
        }
        LOG.debugf("scheduled sweep removed %d files", swept);
    }

    /**
     * Deletes what is left under the data prefixes of deleted group versions (files of writes that were in progress
     * when the version was deleted) once older than the grace period, and forgets a prefix once it is empty.
     */
    public int sweepDeleted() {
        int swept = 0;
        Instant graceLimit = Instant.now().minus(sweepGrace);
        for (String prefix : deletedPrefixes.olderThan(graceLimit)) {
            try {
                List<ObjectInfo> left = objects.list(prefix).stream().filter(o -> sweepable(o.key().substring(prefix.length()))).toList();
                List<String> doomed = left.stream().filter(o -> o.lastModified().isBefore(graceLimit)).map(ObjectInfo::key).toList();
                objects.delete(doomed);
                swept += doomed.size();
                if (doomed.size() == left.size()) {
                    deletedPrefixes.forget(prefix);
                }
            } catch (QuiverException e) {
                LOG.warnf("could not sweep the deleted prefix %s: %s", prefix, e.getMessage());
            }
        }
        return swept;
    }

    /**
     * Rewrites the head's files as one file with the same rows, committed as a COMPACT snapshot. The old files stay
     * for time travel until expiry removes them. Appends landing meanwhile stay as they are (the merged file takes
     * the place of the oldest file it replaces, so later writes still win ties); an overwrite, backfill or other
     * compaction landing meanwhile makes this a CONFLICT, to run again.
     */
    public Snapshot compact(String group, int version) {
        GroupSchema schema = catalog.group(group, version);
        FeatureGroup g = schema.group();
        Snapshot head = snapshots.current(g).orElseThrow(() -> new InvalidArgumentException(
                "feature group '" + g.name() + "' version " + g.version() + " has no data to compact"));
        List<SnapshotFile> files = snapshots.files(head);
        if (files.size() < 2) {
            return head;
        }
        try (TempDirectory dir = new TempDirectory("quiver-compact");
                ObjectFileCache.Lease sources = cache.leaseFiles(files);
                WriteSessions.Session session = sessions.open(g, SnapshotOperation.COMPACT, false)) {
            ParquetFileWriter.Written merged = parquet.merge(schema, sources.paths(), dir.path().resolve("compacted.parquet"));
            if (merged.rows() != head.rowCount()) {
                throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "compaction of " + g.name()
                        + " produced " + merged.rows() + " rows from " + head.rowCount() + "; nothing was committed");
            }
            SnapshotFile file = session.uploadNow(merged);
            List<String> removed = files.stream().map(SnapshotFile::key).toList();
            return session.commit(() -> SnapshotChange.replace(SnapshotOperation.COMPACT, removed,
                    List.of(new SnapshotChange.Added(file, removed.get(0)))));
        }
    }
}
