package io.quiver.offline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

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
 * Keeps a group version's offline data tidy: retention (forget old snapshots, delete the files only they used),
 * the sweep of files an interrupted write left behind, and compaction of many small files into one.
 */
@ApplicationScoped
public class SnapshotMaintenance {

    private static final Logger LOG = Logger.getLogger(SnapshotMaintenance.class);

    private final RegistryCatalog catalog;
    private final SnapshotLog snapshots;
    private final ObjectStore objects;
    private final ObjectFileCache cache;
    private final ParquetFileWriter parquet;
    private final Duration sweepGrace;

    public SnapshotMaintenance(RegistryCatalog catalog, SnapshotLog snapshots, ObjectStore objects, ObjectFileCache cache,
            ParquetFileWriter parquet, QuiverConfig config) {
        this.catalog = catalog;
        this.snapshots = snapshots;
        this.objects = objects;
        this.cache = cache;
        this.parquet = parquet;
        this.sweepGrace = config.offline().sweepGrace();
    }

    /**
     * Forgets snapshots committed before {@code olderThan}, keeping at least the newest {@code keepLast} (and always
     * the head), then deletes data files no remaining snapshot references and, past {@code quiver.offline.sweep-grace}, files no
     * snapshot ever referenced (left by interrupted writes).
     */
    public ExpireResult expire(String group, int version, Instant olderThan, int keepLast) {
        if (olderThan == null || keepLast < 1) {
            throw new InvalidArgumentException("expiry needs olderThan and keepLast >= 1 (the current state is always kept)");
        }
        FeatureGroup g = catalog.group(group, version).group();
        List<Snapshot> all = snapshots.all(g);
        Optional<Snapshot> head = snapshots.current(g.name(), g.version());
        List<Long> expired = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Snapshot s = all.get(i);
            boolean isHead = head.isPresent() && head.get().id() == s.id();
            if (i >= keepLast && !isHead && s.committedAt().isBefore(olderThan)) {
                expired.add(s.id());
            }
        }
        snapshots.forget(g, expired);

        Set<String> referenced = snapshots.all(g).stream().flatMap(s -> s.files().stream()).map(SnapshotFile::key)
                .collect(Collectors.toCollection(HashSet::new));
        Set<String> onceReferenced = all.stream().flatMap(s -> s.files().stream()).map(SnapshotFile::key).collect(Collectors.toSet());
        Instant graceLimit = Instant.now().minus(sweepGrace);
        List<String> doomed = new ArrayList<>();
        for (ObjectInfo o : objects.list(OfflineWriter.dataPrefix(g))) {
            boolean freedByExpiry = onceReferenced.contains(o.key()) && !referenced.contains(o.key());
            boolean orphan = !onceReferenced.contains(o.key()) && o.lastModified().isBefore(graceLimit);
            if (freedByExpiry || orphan) {
                doomed.add(o.key());
            }
        }
        objects.delete(doomed);
        LOG.infof("expired %d snapshots and %d files of %s@%d", expired.size(), doomed.size(), g.name(), g.version());
        return new ExpireResult(expired, doomed);
    }

    /**
     * Rewrites the head's files as one file with the same rows, committed as a COMPACT snapshot. The old files stay
     * for time travel until expiry removes them. A write that lands meanwhile makes this a CONFLICT, to retry.
     */
    public Snapshot compact(String group, int version) {
        GroupSchema schema = catalog.group(group, version);
        FeatureGroup g = schema.group();
        Snapshot head = snapshots.current(g.name(), g.version()).orElseThrow(() -> new InvalidArgumentException(
                "feature group '" + g.name() + "' version " + g.version() + " has no data to compact"));
        if (head.files().size() < 2) {
            return head;
        }
        String key = OfflineWriter.dataPrefix(g) + UUID.randomUUID() + ".parquet";
        boolean uploaded = false;
        try (TempDirectory dir = new TempDirectory("quiver-compact");
                ObjectFileCache.Lease sources = cache.lease(head.files().stream().map(SnapshotFile::key).toList())) {
            ParquetFileWriter.Written merged = parquet.merge(schema, sources.paths(), dir.path().resolve("compacted.parquet"));
            if (merged.rows() != head.rowCount()) {
                throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "compaction of " + g.name()
                        + " produced " + merged.rows() + " rows from " + head.rowCount() + "; nothing was committed");
            }
            objects.put(key, merged.file());
            uploaded = true;
            Snapshot compacted = snapshots.commit(g, head.id(), SnapshotOperation.COMPACT, List.of(new SnapshotFile(key,
                    merged.rows(), merged.bytes(), merged.minEventTime(), merged.maxEventTime())));
            uploaded = false;
            return compacted;
        } finally {
            if (uploaded) {
                objects.delete(List.of(key));
            }
        }
    }
}
