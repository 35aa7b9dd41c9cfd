package io.quiver.online;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import io.quarkus.panache.common.Sort;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * The materialization job records and the per-group lease, each change in its own short transaction (a job runs
 * for minutes; no transaction stays open that long).
 */
@ApplicationScoped
@ActivateRequestContext
public class MaterializationJobs {

    /** Most jobs one listing returns. */
    static final int MAX_LISTED = 500;

    private final RegistryCatalog catalog;

    public MaterializationJobs(RegistryCatalog catalog, io.quiver.audit.AuditLog audit) {
        this.audit = audit;
        this.catalog = catalog;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private final io.quiver.audit.AuditLog audit;

    @Transactional
    public MaterializationJob create(FeatureGroup g, MaterializationJob.Kind kind, MaterializationJob.Trigger trigger,
            Instant start, Instant end, String requestId) {
        MaterializationJobRow row = new MaterializationJobRow();
        row.requestId = requestId;
        row.groupId = g.id();
        row.kind = kind;
        row.trigger = trigger;
        row.start = start;
        row.end = end;
        row.status = MaterializationJob.Status.QUEUED;
        row.createdAt = now();
        row.persist();
        if (trigger == MaterializationJob.Trigger.MANUAL) { // schedules and the selector are listed with the jobs; not a caller's act
            audit.changed("MATERIALIZE", g.name() + "@" + g.version(), "job " + row.id + " (" + kind + ", " + trigger + ") queued"
                    + (start == null && end == null ? "" : " for [" + start + ", " + end + ")"));
        }
        return row.toModel(g.name(), g.version());
    }

    /**
     * The job as its row is now. A transaction of its own: a caller that keeps a request context (a subscription's,
     * propagated to its ticks) must not see the row as its session first loaded it.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<MaterializationJob> get(long id) {
        MaterializationJobRow row = MaterializationJobRow.findById(id);
        if (row == null) {
            return Optional.empty();
        }
        FeatureGroup g = catalog.groupsByIds(List.of(row.groupId)).stream().findFirst().orElse(null);
        return g == null ? Optional.empty() : Optional.of(row.toModel(g.name(), g.version()));
    }

    /** Newest first, optionally only one status, at most {@code limit}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MaterializationJob> list(FeatureGroup g, MaterializationJob.Status status, int limit) {
        if (limit < 1 || limit > MAX_LISTED) {
            throw new InvalidArgumentException("first must be between 1 and " + MAX_LISTED + ", not " + limit);
        }
        var query = status == null ? MaterializationJobRow.<MaterializationJobRow>find("groupId", Sort.descending("id"), g.id())
                : MaterializationJobRow.<MaterializationJobRow>find("groupId = ?1 and status = ?2", Sort.descending("id"), g.id(), status);
        return query.page(0, limit).list().stream().map(r -> r.toModel(g.name(), g.version())).toList();
    }

    /**
     * Where the last successful incremental job of the group version ended. Explicit ranges do not count: a range
     * ending in the future, or leaving a gap before it, must not move where incremental runs continue.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Instant> lastIncrementalEnd(long groupId) {
        return MaterializationJobRow.<MaterializationJobRow>find("groupId = ?1 and status = ?2 and kind = ?3", Sort.descending("end"), groupId,
                MaterializationJob.Status.SUCCEEDED, MaterializationJob.Kind.INCREMENTAL).firstResultOptional().map(r -> r.end);
    }

    /**
     * Takes the group's lease for the job, unless a live one holds it.
     *
     * @return the job holding the lease instead; empty when this job got it
     */
    @Transactional
    public Optional<Long> acquire(long groupId, long jobId, Duration lease) {
        MaterializationLockRow lock = MaterializationLockRow.findById(groupId, LockModeType.PESSIMISTIC_WRITE);
        Instant now = now();
        if (lock == null) {
            lock = new MaterializationLockRow();
            lock.groupId = groupId;
            lock.jobId = jobId;
            lock.expiresAt = now.plus(lease);
            lock.persist(); // two replicas inserting at once: one commit fails on the key, and that one reports "held"
            return Optional.empty();
        }
        if (lock.jobId != jobId && lock.expiresAt.isAfter(now)) {
            return Optional.of(lock.jobId);
        }
        lock.jobId = jobId;
        lock.expiresAt = now.plus(lease);
        return Optional.empty();
    }

    /**
     * Ends jobs nobody is running any more: RUNNING without a live lease (the replica running it stopped), QUEUED for
     * longer than {@code queuedFor} (the replica holding it stopped before starting it). Their subscribers then end.
     */
    @Transactional
    public int failAbandoned(Duration queuedFor) {
        Instant now = now();
        int ended = 0;
        for (MaterializationJobRow row : MaterializationJobRow.<MaterializationJobRow>list("status in ?1",
                List.of(MaterializationJob.Status.RUNNING, MaterializationJob.Status.QUEUED))) {
            boolean abandoned;
            if (row.status == MaterializationJob.Status.RUNNING) {
                MaterializationLockRow lock = MaterializationLockRow.findById(row.groupId);
                abandoned = lock == null || lock.jobId != row.id || lock.expiresAt.isBefore(now);
            } else {
                abandoned = row.createdAt.isBefore(now.minus(queuedFor));
            }
            if (abandoned) {
                row.status = MaterializationJob.Status.FAILED;
                row.error = row.startedAt == null ? "never started: the replica that accepted it stopped; run it again"
                        : "abandoned: the replica running it stopped; run it again";
                row.errorCode = ErrorCode.INTERNAL_ERROR.name();
                row.finishedAt = now;
                ended++;
            }
        }
        return ended;
    }

    /**
     * Claims a scheduled tick of the group: true for the one replica (of all firing the same cron tick) that moves
     * the group's claimed fire time forward to {@code fireTime}; false for the others, and for a tick already run.
     */
    @Transactional
    public boolean claimTick(long groupId, Instant fireTime) {
        var em = MaterializationLockRow.getEntityManager();
        em.createNativeQuery("INSERT INTO qv_schedule_claim (group_id, fire_time) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, groupId).setParameter(2, Instant.EPOCH).executeUpdate();
        // under READ COMMITTED a second claimer waits for the first's commit, then sees the moved fire time: 0 rows
        return em.createNativeQuery("UPDATE qv_schedule_claim SET fire_time = ?1 WHERE group_id = ?2 AND fire_time < ?1")
                .setParameter(1, fireTime.truncatedTo(ChronoUnit.MICROS)).setParameter(2, groupId).executeUpdate() == 1;
    }

    @Transactional
    public void release(long groupId, long jobId) {
        MaterializationLockRow.delete("groupId = ?1 and jobId = ?2", groupId, jobId);
    }

    @Transactional
    public void started(long jobId, Long snapshotId, long rowsRead, Instant start, String engine, String engineReason) {
        MaterializationJobRow row = row(jobId);
        row.engine = engine;
        row.engineReason = engineReason == null || engineReason.length() <= 500 ? engineReason : engineReason.substring(0, 497) + "...";
        row.status = MaterializationJob.Status.RUNNING;
        row.startedAt = now();
        row.snapshotId = snapshotId;
        row.rowsRead = rowsRead;
        row.start = start;
    }

    /** Records how many entities the job has written. */
    @Transactional
    public void progress(long jobId, long entities) {
        row(jobId).entities = entities;
    }

    /**
     * Extends the job's lease by {@code lease} from now, if the job still holds it.
     *
     * @return false when the lease is gone or another job holds it (this job lapsed and must stop)
     */
    @Transactional
    public boolean renew(long groupId, long jobId, Duration lease) {
        MaterializationLockRow lock = MaterializationLockRow.findById(groupId, LockModeType.PESSIMISTIC_WRITE);
        if (lock == null || lock.jobId != jobId) {
            return false;
        }
        lock.expiresAt = now().plus(lease);
        return true;
    }

    /**
     * Records how the job ended, unless it has ended already (the reaper of abandoned jobs ended it after its lease
     * lapsed): the first recorded end stands.
     *
     * @return false when the job had already ended
     */
    @Transactional
    public boolean finished(long jobId, MaterializationJob.Status status, long entities, String error, ErrorCode code) {
        MaterializationJobRow row = row(jobId);
        if (row.status == MaterializationJob.Status.SUCCEEDED || row.status == MaterializationJob.Status.FAILED) {
            return false;
        }
        row.status = status;
        row.entities = entities;
        row.error = error;
        row.errorCode = code == null ? null : code.name();
        row.finishedAt = now();
        if (row.startedAt == null) {
            row.startedAt = row.finishedAt;
        }
        return true;
    }

    private static MaterializationJobRow row(long jobId) {
        MaterializationJobRow row = MaterializationJobRow.findById(jobId);
        if (row == null) {
            throw new QuiverException(ErrorCode.INTERNAL_ERROR, "materialization job " + jobId + " vanished");
        }
        return row;
    }
}
