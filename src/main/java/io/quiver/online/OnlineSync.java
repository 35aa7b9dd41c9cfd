package io.quiver.online;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jboss.logging.Logger;

import io.quiver.error.QuiverException;
import io.quiver.offline.OnlineUpdate;
import io.quiver.offline.WriteCommitted;
import io.quiver.registry.model.FeatureGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
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

    void onCommit(@Observes WriteCommitted write) {
        FeatureGroup g = write.schema().group();
        if (!g.onlineEnabled()) {
            write.online(OnlineUpdate.DISABLED);
            return;
        }
        try {
            OnlineLoader.Loaded loaded = loader.load(write.schema(), write.files(), null, null, n -> {
            });
            write.online(new OnlineUpdate(OnlineUpdate.Status.UPDATED, loaded.applied(), null));
        } catch (QuiverException e) {
            LOG.warnf("snapshot %d of %s@%d is committed, but its online update failed (%s); flagged for the next materialization",
                    write.snapshot().id(), g.name(), g.version(), e.getMessage());
            pending.flag(g.id(), write.snapshot().id(), write.snapshot().minEventTime(), e.getMessage());
            write.online(new OnlineUpdate(OnlineUpdate.Status.PENDING, 0, e.getMessage()
                    + "; the write is committed offline and the next materialization puts it online"));
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

        /** The earliest event time a pending write of the group needs online, if any write is pending. */
        @Transactional(Transactional.TxType.SUPPORTS)
        public java.util.Optional<Instant> earliest(long groupId) {
            return OnlinePendingRow.<OnlinePendingRow>find("groupId", groupId).stream().map(r -> r.minEvent)
                    .filter(java.util.Objects::nonNull).min(Instant::compareTo);
        }

        /** Whether any write of the group is pending. */
        @Transactional(Transactional.TxType.SUPPORTS)
        public boolean any(long groupId) {
            return OnlinePendingRow.count("groupId", groupId) > 0;
        }

        /** Clears the flags a successful run started at {@code startedAt} covered. */
        @Transactional
        public void clear(long groupId, Instant startedAt) {
            OnlinePendingRow.delete("groupId = ?1 and createdAt <= ?2", groupId, startedAt);
        }
    }
}
