package io.quiver.offline;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.persistence.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The commit protocol of the offline store. A writer uploads its files, then calls {@link #commit} naming the
 * snapshot it built on. The commit inserts the new snapshot and moves the group version's head from that parent
 * to it in one statement (compare-and-set), in one transaction. If another writer committed first the head has
 * moved, nothing is committed, and the caller gets {@code CONFLICT}: it may rebuild on the new head and retry (an
 * APPEND simply re-reads the head), so no write is lost. Readers resolve a snapshot through the head (or an id, or
 * a time), so they see a whole commit or none of it.
 */
@ApplicationScoped
@ActivateRequestContext
public class SnapshotLog {

    private static final Logger LOG = Logger.getLogger(SnapshotLog.class);

    private final EntityManager em;
    private final RegistryCatalog catalog;

    public SnapshotLog(EntityManager em, RegistryCatalog catalog) {
        this.em = em;
        this.catalog = catalog;
    }

    /**
     * Commits a new state of the group version.
     *
     * @param parentId the snapshot the new file list was built on; null when the writer saw no snapshot
     * @throws QuiverException CONFLICT when the head is no longer {@code parentId}
     */
    @Transactional
    public Snapshot commit(FeatureGroup group, Long parentId, SnapshotOperation operation, List<SnapshotFile> files) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        SnapshotRow row = new SnapshotRow();
        row.groupId = group.id();
        row.parentId = parentId;
        row.operation = operation;
        row.files = Json.write(files);
        row.committedAt = now;
        row.persist();
        em.flush();
        var move = em.createQuery("update FeatureGroupRow g set g.currentSnapshotId = :new, g.lastDataUpdateAt = :now "
                + "where g.id = :group and " + (parentId == null ? "g.currentSnapshotId is null" : "g.currentSnapshotId = :parent"))
                .setParameter("new", row.id).setParameter("now", now).setParameter("group", group.id());
        if (parentId != null) {
            move.setParameter("parent", parentId);
        }
        int moved = move.executeUpdate();
        if (moved != 1) {
            throw new QuiverException(ErrorCode.CONFLICT, "another write to feature group '" + group.name() + "' version "
                    + group.version() + " committed first (this write was based on snapshot " + parentId
                    + "); nothing was committed. Retry the write: it will build on the new latest snapshot");
        }
        LOG.debugf("committed snapshot %d of %s@%d (%s, parent %s)", row.id, group.name(), group.version(), operation, parentId);
        return row.toModel(group.name(), group.version());
    }

    /** The snapshot readers see now, if any data was ever committed. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Snapshot> current(String group, int version) {
        FeatureGroup g = catalog.group(group, version).group();
        Long head = em.createQuery("select g.currentSnapshotId from FeatureGroupRow g where g.id = :id", Long.class)
                .setParameter("id", g.id()).getSingleResult();
        return head == null ? Optional.empty() : Optional.of(load(g, head));
    }

    /** One snapshot of the group version by id (time travel to a known state). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Snapshot byId(String group, int version, long snapshotId) {
        FeatureGroup g = catalog.group(group, version).group();
        return load(g, snapshotId);
    }

    /**
     * The state as of a moment: the last snapshot on the head's ancestry committed at or before it. Snapshots
     * that lost a race are not on that chain and are never returned.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Snapshot> asOf(String group, int version, Instant moment) {
        return history(group, version).stream().filter(s -> !s.committedAt().isAfter(moment)).findFirst();
    }

    /** The head's ancestry, newest first: every committed state of the group version. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Snapshot> history(String group, int version) {
        FeatureGroup g = catalog.group(group, version).group();
        List<SnapshotRow> rows = SnapshotRow.list("groupId = ?1 order by id desc", g.id());
        Long head = em.createQuery("select g.currentSnapshotId from FeatureGroupRow g where g.id = :id", Long.class)
                .setParameter("id", g.id()).getSingleResult();
        java.util.Map<Long, SnapshotRow> byId = new java.util.HashMap<>();
        rows.forEach(r -> byId.put(r.id, r));
        List<Snapshot> chain = new java.util.ArrayList<>();
        for (Long id = head; id != null && byId.containsKey(id); id = byId.get(id).parentId) {
            chain.add(byId.get(id).toModel(g.name(), g.version()));
        }
        return chain;
    }

    /** Every snapshot of the group version still recorded, newest first (including ones off the head's chain). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Snapshot> all(FeatureGroup g) {
        List<SnapshotRow> rows = SnapshotRow.list("groupId = ?1 order by id desc", g.id());
        return rows.stream().map(r -> r.toModel(g.name(), g.version())).toList();
    }

    /** Forgets snapshots (retention); never the head. Their files are the caller's to delete. */
    @Transactional
    public void forget(FeatureGroup g, List<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Long head = em.createQuery("select g.currentSnapshotId from FeatureGroupRow g where g.id = :id", Long.class)
                .setParameter("id", g.id()).getSingleResult();
        if (ids.contains(head)) {
            throw new IllegalArgumentException("the head snapshot cannot be expired");
        }
        SnapshotRow.delete("groupId = ?1 and id in ?2", g.id(), ids);
    }

    private Snapshot load(FeatureGroup g, long id) {
        SnapshotRow row = SnapshotRow.findById(id);
        if (row == null || row.groupId != g.id()) {
            throw new QuiverException(ErrorCode.INVALID_ARGUMENT, "feature group '" + g.name() + "' version " + g.version()
                    + " has no snapshot " + id + "; list them with snapshots(group)");
        }
        return row.toModel(g.name(), g.version());
    }
}
