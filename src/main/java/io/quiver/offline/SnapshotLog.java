package io.quiver.offline;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The commit protocol of the offline store, manifest-style. A snapshot row records what its commit changed and the
 * totals of the new state; every data file is a row saying in which snapshot of the chain it was added and removed,
 * so the live files of any snapshot are derived, and a commit costs what it changes, not the size of the table.
 * <p>
 * A commit runs in one transaction: it locks the group version's head, consumes the writer's intent (refusing the
 * commit when the intent is gone: the sweeper may have removed its files), checks the head it was built on where the
 * change depends on it, inserts the snapshot and its file rows, marks removed files and moves the head. Readers
 * resolve a state through the head, an id or a time and then its live rows, so they see a whole commit or none.
 */
@ApplicationScoped
@ActivateRequestContext
public class SnapshotLog {

    private static final Logger LOG = Logger.getLogger(SnapshotLog.class);
    /** Keys per IN list when marking files removed. */
    private static final int IN_CHUNK = 500;

    private final EntityManager em;
    private final RegistryCatalog catalog;

    private final io.quiver.audit.AuditLog audit;

    public SnapshotLog(EntityManager em, RegistryCatalog catalog, io.quiver.audit.AuditLog audit) {
        this.audit = audit;
        this.em = em;
        this.catalog = catalog;
    }

    /** The head moved since the state a rewrite was built on: rebuild on the new head and commit again. */
    public static final class HeadMovedException extends QuiverException {
        HeadMovedException(String message) {
            super(ErrorCode.CONFLICT, message);
        }
    }

    /**
     * Commits a change of the group version as the write {@code commitId}, whose intent it consumes.
     *
     * @throws HeadMovedException when the change was built on another head than the current one
     * @throws QuiverException CONFLICT when the intent is gone or a file to remove is no longer live;
     *         FEATURE_GROUP_NOT_FOUND when the group version was deleted
     */
    @Transactional
    public Snapshot commit(FeatureGroup g, String commitId, SnapshotChange change) {
        // Lock order: the group version's row, then the intent (a deletion of the group locks them in that order too).
        List<?> locked = em.createNativeQuery("SELECT current_snapshot_id FROM qv_feature_group WHERE id = ?1 FOR UPDATE")
                .setParameter(1, g.id()).getResultList();
        if (locked.isEmpty()) {
            throw new QuiverException(ErrorCode.FEATURE_GROUP_NOT_FOUND, "feature group '" + g.name() + "' version " + g.version()
                    + " was deleted while the write was in progress; nothing was committed");
        }
        Long head = locked.get(0) == null ? null : ((Number) locked.get(0)).longValue();
        int consumed = em.createQuery("delete from WriteIntentRow i where i.id = :id").setParameter("id", commitId).executeUpdate();
        if (consumed != 1) {
            throw new QuiverException(ErrorCode.CONFLICT, "the write to feature group '" + g.name() + "' version " + g.version()
                    + " went unrenewed for longer than quiver.offline.sweep-grace, so its uploaded files may have been swept; "
                    + "nothing was committed. Retry the write");
        }
        if (change.checkHead() && !java.util.Objects.equals(head, change.basedOn())) {
            throw new HeadMovedException("another write to feature group '" + g.name() + "' version " + g.version()
                    + " committed first (this one was based on snapshot " + change.basedOn() + "); nothing was committed");
        }
        SnapshotRow parent = head == null ? null : em.find(SnapshotRow.class, head);
        long seq = parent == null ? 1 : parent.sequenceNumber + 1;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (parent != null && parent.committedAt.isAfter(now)) {
            now = parent.committedAt; // commit times never go back along the chain (replica clocks may disagree slightly)
        }

        long removed = 0;
        Map<String, Long> inherited = new LinkedHashMap<>();
        if (change.removeAll()) {
            removed = em.createQuery("update DataFileRow f set f.removedSeq = :seq where f.groupId = :g and f.removedSeq is null")
                    .setParameter("seq", seq).setParameter("g", g.id()).executeUpdate();
        } else if (!change.removed().isEmpty()) {
            List<String> keys = List.copyOf(new java.util.LinkedHashSet<>(change.removed()));
            for (String key : keysTakingPlace(change)) {
                inherited.put(key, null);
            }
            if (!inherited.isEmpty()) {
                em.createQuery("select f.objectKey, f.writeOrder from DataFileRow f where f.groupId = :g and f.removedSeq is null "
                        + "and f.objectKey in :keys", Object[].class).setParameter("g", g.id()).setParameter("keys", inherited.keySet())
                        .getResultList().forEach(r -> inherited.put((String) r[0], (Long) r[1]));
            }
            for (int i = 0; i < keys.size(); i += IN_CHUNK) {
                removed += em.createQuery("update DataFileRow f set f.removedSeq = :seq where f.groupId = :g and f.removedSeq is null "
                        + "and f.objectKey in :keys").setParameter("seq", seq).setParameter("g", g.id())
                        .setParameter("keys", keys.subList(i, Math.min(keys.size(), i + IN_CHUNK))).executeUpdate();
            }
            if (removed != keys.size()) {
                throw new QuiverException(ErrorCode.CONFLICT, "files this " + change.operation() + " replaces in feature group '"
                        + g.name() + "' version " + g.version() + " were replaced by another write meanwhile; nothing was committed, "
                        + "run it again");
            }
        }

        Long maxOrder = em.createQuery("select max(f.writeOrder) from DataFileRow f where f.groupId = :g", Long.class)
                .setParameter("g", g.id()).getSingleResult();
        long next = maxOrder == null ? 0 : maxOrder + 1;
        for (SnapshotChange.Added a : change.added()) {
            DataFileRow f = new DataFileRow();
            SnapshotFile file = a.file();
            f.groupId = g.id();
            f.objectKey = file.key();
            f.rowCount = file.rows();
            f.byteCount = file.bytes();
            f.minEventTime = file.minEventTime();
            f.maxEventTime = file.maxEventTime();
            f.minKey = file.minKey();
            f.maxKey = file.maxKey();
            Long order = a.takesPlaceOf() == null ? null : inherited.get(a.takesPlaceOf());
            f.writeOrder = order != null ? order : next++;
            f.addedSeq = seq;
            f.persist();
        }

        SnapshotRow row = new SnapshotRow();
        row.groupId = g.id();
        row.parentId = head;
        row.sequenceNumber = seq;
        row.commitId = commitId;
        row.operation = change.operation();
        row.committedAt = now;
        row.addedFiles = change.added().size();
        row.removedFiles = removed;
        if (removed == 0 && parent != null) {
            row.fileCount = parent.fileCount;
            row.rowCount = parent.rowCount;
            row.byteCount = parent.byteCount;
            row.minEventTime = parent.minEventTime;
            row.maxEventTime = parent.maxEventTime;
            for (SnapshotChange.Added a : change.added()) {
                SnapshotFile f = a.file();
                row.fileCount++;
                row.rowCount += f.rows();
                row.byteCount += f.bytes();
                row.minEventTime = earlier(row.minEventTime, f.minEventTime());
                row.maxEventTime = later(row.maxEventTime, f.maxEventTime());
            }
        } else {
            em.flush();
            Object[] t = em.createQuery("select count(f), coalesce(sum(f.rowCount), 0), coalesce(sum(f.byteCount), 0), "
                    + "min(f.minEventTime), max(f.maxEventTime) from DataFileRow f where f.groupId = :g and f.removedSeq is null",
                    Object[].class).setParameter("g", g.id()).getSingleResult();
            row.fileCount = ((Number) t[0]).longValue();
            row.rowCount = ((Number) t[1]).longValue();
            row.byteCount = ((Number) t[2]).longValue();
            row.minEventTime = (Instant) t[3];
            row.maxEventTime = (Instant) t[4];
        }
        row.persist();
        em.flush();
        em.createQuery("update FeatureGroupRow g set g.currentSnapshotId = :new, g.lastDataUpdateAt = :now where g.id = :group")
                .setParameter("new", row.id).setParameter("now", now).setParameter("group", g.id()).executeUpdate();
        LOG.debugf("committed snapshot %d (#%d) of %s@%d: %s, +%d -%d files", row.id, seq, g.name(), g.version(),
                change.operation(), row.addedFiles, removed);
        audit.changed(change.operation() == SnapshotOperation.COMPACT ? "COMPACT" : "WRITE", g.name() + "@" + g.version(),
                change.operation() + ": snapshot " + row.id + " committed, " + row.addedFiles + " files added, " + removed + " removed");
        return row.toModel(g.name(), g.version());
    }

    private static List<String> keysTakingPlace(SnapshotChange change) {
        return change.added().stream().map(SnapshotChange.Added::takesPlaceOf).filter(java.util.Objects::nonNull).toList();
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null || a.isAfter(b) ? a : b;
    }

    /** The snapshot readers see now, if any data was ever committed. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Snapshot> current(String group, int version) {
        return current(catalog.group(group, version).group());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Snapshot> current(FeatureGroup g) {
        List<Long> head = em.createQuery("select g.currentSnapshotId from FeatureGroupRow g where g.id = :id", Long.class)
                .setParameter("id", g.id()).getResultList();
        return head.isEmpty() || head.get(0) == null ? Optional.empty() : Optional.of(load(g, head.get(0)));
    }

    /** One snapshot of the group version by id (time travel to a known state). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Snapshot byId(String group, int version, long snapshotId) {
        return load(catalog.group(group, version).group(), snapshotId);
    }

    /** The state as of a moment: the newest snapshot committed at or before it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Snapshot> asOf(String group, int version, Instant moment) {
        FeatureGroup g = catalog.group(group, version).group();
        return SnapshotRow.<SnapshotRow>find("groupId = ?1 and committedAt <= ?2 order by sequenceNumber desc", g.id(), moment)
                .firstResultOptional().map(r -> r.toModel(g.name(), g.version()));
    }

    /** The chain, newest first: at most {@code first} snapshots older than {@code before} (an id; null: from the head). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Snapshot> history(String group, int version, int first, Long before) {
        FeatureGroup g = catalog.group(group, version).group();
        long below = before == null ? Long.MAX_VALUE : load(g, before).sequenceNumber();
        return SnapshotRow.<SnapshotRow>find("groupId = ?1 and sequenceNumber < ?2 order by sequenceNumber desc", g.id(), below)
                .page(0, first).list().stream().map(r -> r.toModel(g.name(), g.version())).toList();
    }

    /** The live files of a snapshot, in write order (the order that breaks ties between equal rows). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SnapshotFile> files(Snapshot s) {
        return files(List.of(s)).get(s.id());
    }

    /**
     * The live files of each snapshot (of one group version), in write order: one query over the range of the chain
     * they span.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<Long, List<SnapshotFile>> files(List<Snapshot> snapshots) {
        Map<Long, List<SnapshotFile>> out = new LinkedHashMap<>();
        if (snapshots.isEmpty()) {
            return out;
        }
        long groupId = snapshots.get(0).groupId();
        long low = snapshots.stream().mapToLong(Snapshot::sequenceNumber).min().orElseThrow();
        long high = snapshots.stream().mapToLong(Snapshot::sequenceNumber).max().orElseThrow();
        List<DataFileRow> rows = DataFileRow.<DataFileRow>find("groupId = ?1 and addedSeq <= ?2 and (removedSeq is null or removedSeq > ?3) "
                + "order by writeOrder", groupId, high, low).list();
        for (Snapshot s : snapshots) {
            List<SnapshotFile> live = new ArrayList<>();
            for (DataFileRow r : rows) {
                if (r.addedSeq <= s.sequenceNumber() && (r.removedSeq == null || r.removedSeq > s.sequenceNumber())) {
                    live.add(r.toModel());
                }
            }
            out.put(s.id(), live);
        }
        return out;
    }

    /** The files the snapshot's commit added. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SnapshotFile> added(Snapshot s) {
        return DataFileRow.<DataFileRow>find("groupId = ?1 and addedSeq = ?2 order by writeOrder", s.groupId(), s.sequenceNumber())
                .list().stream().map(DataFileRow::toModel).toList();
    }

    /** The files the snapshot's commit removed (still kept for older snapshots until expiry). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SnapshotFile> removed(Snapshot s) {
        return DataFileRow.<DataFileRow>find("groupId = ?1 and removedSeq = ?2 order by writeOrder", s.groupId(), s.sequenceNumber())
                .list().stream().map(DataFileRow::toModel).toList();
    }

    /** The snapshot a write committed, if its commit landed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Snapshot> byCommit(FeatureGroup g, String commitId) {
        return SnapshotRow.<SnapshotRow>find("commitId", commitId).firstResultOptional().filter(r -> r.groupId == g.id())
                .map(r -> r.toModel(g.name(), g.version()));
    }

    /** Every key a recorded file row names: live in some snapshot still kept, or not yet deleted after expiry. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Set<String> recordedKeys(FeatureGroup g) {
        return new HashSet<>(em.createQuery("select f.objectKey from DataFileRow f where f.groupId = :g", String.class)
                .setParameter("g", g.id()).getResultList());
    }

    /** What an expiry forgot: snapshot ids, and the keys of files no kept snapshot uses (the caller deletes them). */
    public record Expired(List<Long> snapshots, List<String> freedKeys) {
    }

    /**
     * Retention: forgets the snapshots committed before {@code olderThan}, except the newest {@code keepLast} and the
     * head. Commit times never decrease along the chain, so what is kept is a suffix of it, from sequence number M; the
     * files removed at or before M are used by no kept snapshot, and their rows go with the forgotten snapshots.
     */
    @Transactional
    public Expired expire(FeatureGroup g, Instant olderThan, int keepLast) {
        em.createNativeQuery("SELECT id FROM qv_feature_group WHERE id = ?1 FOR UPDATE").setParameter(1, g.id()).getResultList();
        List<SnapshotRow> newest = SnapshotRow.<SnapshotRow>find("groupId = ?1 order by sequenceNumber desc", g.id()).page(0, keepLast).list();
        if (newest.isEmpty()) {
            return new Expired(List.of(), List.of());
        }
        long keep = newest.get(newest.size() - 1).sequenceNumber;
        Optional<SnapshotRow> firstYoung = SnapshotRow.<SnapshotRow>find("groupId = ?1 and committedAt >= ?2 order by sequenceNumber",
                g.id(), olderThan).firstResultOptional();
        if (firstYoung.isPresent()) {
            keep = Math.min(keep, firstYoung.get().sequenceNumber);
        }
        List<Long> forgotten = em.createQuery("select s.id from SnapshotRow s where s.groupId = :g and s.sequenceNumber < :m order by s.id",
                Long.class).setParameter("g", g.id()).setParameter("m", keep).getResultList();
        List<String> freed = em.createQuery("select f.objectKey from DataFileRow f where f.groupId = :g and f.removedSeq <= :m",
                String.class).setParameter("g", g.id()).setParameter("m", keep).getResultList();
        em.createQuery("delete from DataFileRow f where f.groupId = :g and f.removedSeq <= :m")
                .setParameter("g", g.id()).setParameter("m", keep).executeUpdate();
        em.createQuery("delete from SnapshotRow s where s.groupId = :g and s.sequenceNumber < :m")
                .setParameter("g", g.id()).setParameter("m", keep).executeUpdate();
        if (!forgotten.isEmpty()) {
            audit.changed("EXPIRE_SNAPSHOTS", g.name() + "@" + g.version(), forgotten.size() + " snapshots forgotten, " + freed.size()
                    + " files freed (older than " + olderThan + ", newest " + keepLast + " kept)");
        }
        return new Expired(forgotten, freed);
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
