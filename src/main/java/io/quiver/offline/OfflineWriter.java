package io.quiver.offline;

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
    private final QuiverConfig config;

    public OfflineWriter(RegistryCatalog catalog, ObjectStore objects, SnapshotLog snapshots, QuiverConfig config) {
        this.catalog = catalog;
        this.objects = objects;
        this.snapshots = snapshots;
        this.config = config;
    }

    /** Where a group version's data files live in the object store. */
    public static String dataPrefix(FeatureGroup g) {
        return "groups/" + g.name() + "/v" + g.version() + "/data/";
    }

    public WriteResult write(String group, int version, List<Map<String, Object>> rows, WriteMode mode) {
        java.util.Objects.requireNonNull(mode, "mode");
        GroupSchema schema = catalog.group(group, version);
        FeatureGroup g = schema.group();
        if (!g.offlineEnabled()) {
            throw new InvalidArgumentException("feature group '" + g.name() + "' version " + g.version()
                    + " has offlineEnabled: false, so it keeps no history; register it with offlineEnabled: true to write");
        }
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

    private void removeQuietly(String key) {
        try {
            objects.delete(List.of(key));
        } catch (QuiverException e) {
            // A sweeper removes files no snapshot references; the write already failed for its own reason.
            LOG.warnf("could not remove uncommitted file %s: %s", key, e.getMessage());
        }
    }
}
