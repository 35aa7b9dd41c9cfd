package io.quiver.offline;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.hibernate.Session;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.quiver.config.QuiverConfig;
import io.quiver.registry.model.FeatureGroup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Write intents: a writer records one (its id is the write's commit id) before it uploads anything, this process
 * renews the intents it holds every {@code quiver.offline.intent-renewal}, and the commit consumes it. The sweeper
 * leaves the files of a live intent alone. An intent not renewed for {@code quiver.offline.sweep-grace} belongs to
 * a writer that died or hangs: the sweeper fences it (deletes it) before touching that write's files, and a commit
 * whose intent was fenced is refused, so no commit can ever reference a swept file. Deleting the intent is also how
 * a writer that is unsure whether its commit landed makes sure it cannot land any more.
 */
@ApplicationScoped
public class WriteIntents {

    private static final Logger LOG = Logger.getLogger(WriteIntents.class);

    private final EntityManager em;
    private final Duration grace;
    private final Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile Boolean postgres;

    public WriteIntents(EntityManager em, QuiverConfig config) {
        this.em = em;
        this.grace = config.offline().sweepGrace();
    }

    /** Records a new write to the group version and keeps it renewed; returns its id (the commit id). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public String open(FeatureGroup g, SnapshotOperation operation) {
        WriteIntentRow row = new WriteIntentRow();
        row.id = UUID.randomUUID().toString();
        row.groupId = g.id();
        row.operation = operation;
        row.startedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        row.renewedAt = row.startedAt;
        row.persist();
        held.add(row.id);
        return row.id;
    }

    /** Stops renewing the intent (its write ended, or its outcome is left to the sweeper). */
    public void release(String id) {
        held.remove(id);
    }

    /**
     * Deletes the intent, so that a commit of it can no longer land. A commit of it that is in flight holds the row,
     * so this waits for that commit to end (bounded by a lock timeout on PostgreSQL).
     *
     * @return true when this call deleted it: its commit has not landed and never will
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean fence(String id) {
        held.remove(id);
        if (isPostgres()) {
            em.createNativeQuery("SET LOCAL lock_timeout = '10s'").executeUpdate();
        }
        return em.createQuery("delete from WriteIntentRow i where i.id = :id").setParameter("id", id).executeUpdate() == 1;
    }

    /**
     * Fences the group version's intents that were not renewed within the grace period (their writers died or
     * hang) and returns the ids of the intents still live.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Set<String> fenceExpiredAndListLive(FeatureGroup g) {
        Instant limit = Instant.now().minus(grace);
        List<WriteIntentRow> rows = WriteIntentRow.list("groupId", g.id());
        Set<String> live = new HashSet<>();
        for (WriteIntentRow r : rows) {
            if (r.renewedAt.isBefore(limit)) {
                // re-checked in the statement: a renewal that just landed keeps the intent live
                int fenced = em.createQuery("delete from WriteIntentRow i where i.id = :id and i.renewedAt < :limit")
                        .setParameter("id", r.id).setParameter("limit", limit).executeUpdate();
                if (fenced == 1) {
                    LOG.warnf("fenced the write %s to %s@%d: not renewed since %s", r.id, g.name(), g.version(), r.renewedAt);
                    continue;
                }
            }
            live.add(r.id);
        }
        return live;
    }

    /** Renews every intent this process holds. */
    @Scheduled(every = "${quiver.offline.intent-renewal:PT1M}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void renew() {
        if (held.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(held);
        try {
            renew(ids);
        } catch (RuntimeException e) {
            // an intent that stays unrenewed past the grace period is fenced, and its commit then refused: safe
            LOG.warnf("could not renew %d write intents: %s", ids.size(), e.getMessage());
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void renew(List<String> ids) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (int i = 0; i < ids.size(); i += 500) {
            em.createQuery("update WriteIntentRow i set i.renewedAt = :now where i.id in :ids").setParameter("now", now)
                    .setParameter("ids", ids.subList(i, Math.min(ids.size(), i + 500))).executeUpdate();
        }
    }

    /** The ids this process keeps renewed (for tests). */
    Set<String> held() {
        return Set.copyOf(held);
    }

    private boolean isPostgres() {
        Boolean p = postgres;
        if (p == null) {
            p = em.unwrap(Session.class).doReturningWork(c -> c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres"));
            postgres = p;
        }
        return p;
    }
}
