package io.quiver.online;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

import org.jboss.logging.Logger;

import io.quiver.error.Failures;
import io.quiver.offline.CommittedWrite;
import io.quiver.registry.model.FeatureGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Write-through: after a write commits offline, its rows' latest values go online (online-enabled groups only).
 * When the online store fails, the write stays committed and is flagged; the next incremental materialization of
 * the group starts early enough to cover it.
 */
@ApplicationScoped
public class OnlineSync {

    private static final Logger LOG = Logger.getLogger(OnlineSync.class);

    private final OnlineLoader loader;
    private final PendingWrites pending;

    public OnlineSync(OnlineLoader loader, PendingWrites pending) {
        this.loader = loader;
        this.pending = pending;
    }

    /**
     * Puts a committed write's latest values online; never throws (the write is committed whatever happens here): a
     * failure is flagged for the next materialization and reported as PENDING.
     */
    public OnlineUpdate update(CommittedWrite write) {
        FeatureGroup g = write.schema().group();
        if (!g.onlineEnabled()) {
            return OnlineUpdate.DISABLED;
        }
        try {
            OnlineLoader.Loaded loaded = loader.load(write.schema(), write.files(), null, null, n -> {
            });
            return new OnlineUpdate(OnlineUpdate.Status.UPDATED, loaded.applied(), null);
        } catch (RuntimeException e) {
            LOG.warnf(e, "snapshot %d of %s@%d is committed, but its online update failed; flagging it for the next materialization",
                    write.snapshot().id(), g.name(), g.version());
            String why = Failures.classify(e).getMessage();
            try {
                pending.flag(g.id(), write.snapshot().id(), write.minEventTime(), why);
            } catch (RuntimeException flagFailed) {
                LOG.errorf(flagFailed, "could not flag snapshot %d of %s@%d for materialization", write.snapshot().id(), g.name(), g.version());
                return new OnlineUpdate(OnlineUpdate.Status.PENDING, 0, why + "; the write is committed offline but could "
                        + "not be flagged either: materialize " + g.name() + " from " + write.minEventTime() + " to put it online");
            }
            return new OnlineUpdate(OnlineUpdate.Status.PENDING, 0, why
                    + "; the write is committed offline and the next materialization puts it online");
        }
    }

    /** The flags, in their own transactions. */
    @ApplicationScoped
    public static class PendingWrites {

        @Transactional
        public void flag(long groupId, long snapshotId, Instant minEvent, String error) {
            OnlinePendingRow row = new OnlinePendingRow();
            row.groupId = groupId;
            row.snapshotId = snapshotId;
            row.minEvent = minEvent;
            row.error = error;
            row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            row.persist();
        }

        /** The group's pending writes as a run sees them at its start: their ids and the earliest event time. */
        public record Pending(List<Long> ids, Instant earliest) {
        }

        /** In a transaction of its own when there is none: background jobs call it without a request context. */
        @Transactional
        public Pending pending(long groupId) {
            List<OnlinePendingRow> rows = OnlinePendingRow.list("groupId", groupId);
            return new Pending(rows.stream().map(r -> r.id).toList(), rows.stream().map(r -> r.minEvent)
                    .filter(Objects::nonNull).min(Instant::compareTo).orElse(null));
        }

        /** Clears the flags a successful run saw at its start (and so covered); later ones stay for the next run. */
        @Transactional
        public void clear(List<Long> ids) {
            if (!ids.isEmpty()) {
                OnlinePendingRow.delete("id in ?1", ids);
            }
        }
    }
}
