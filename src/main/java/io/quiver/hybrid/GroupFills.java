package io.quiver.hybrid;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quiver.concurrent.BoundedExecutor;
import io.quiver.config.Mode;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.offline.SnapshotMaintenance;
import io.quiver.online.MaterializationJob;
import io.quiver.online.Materializer;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;

/**
 * The stored data of hybrid groups, for the selector: fills from the query (to switch a group to MATERIALIZED, or to
 * refresh it) queued for a fill thread and run as materialization jobs, renewed while queued or running, cancelled
 * when no longer wanted; retired online generations dropped, and a virtualized group's stored data expired after the
 * grace period. Fills and expiry exclude each other through the group's strategy row ({@code fill_state}).
 */
final class GroupFills {

    private static final Logger LOG = Logger.getLogger(GroupFills.class);

    /** {@code fill_state} values besides SUCCEEDED: a fill queued or running, failed, the stored data being cleared, a queued fill cancelled. */
    static final String RUNNING = "RUNNING";
    static final String FAILED = "FAILED";
    static final String CLEARING = "CLEARING";
    static final String CANCELLED = "CANCELLED";

    /** A fill or clear not renewed for this long is taken as abandoned (its replica stopped). */
    private static final Duration ABANDONED = Duration.ofMinutes(30);

    /** How long the scheduled round waits before it tries a failed fill again. */
    static final Duration FAILED_BACKOFF = Duration.ofMinutes(10);

    private final RegistryCatalog catalog;
    private final StrategyStore store;
    private final StrategyFill fill;
    private final Materializer materializer;
    private final SnapshotMaintenance maintenance;
    private final QuiverConfig.Hybrid config;
    private final MeterRegistry meters;
    /** The strategy reads should move to (the selector's override or decision). */
    private final BiFunction<FeatureGroup, StrategyRow, Mode> target;
    /** Told after each successful fill, and whether reads switched to MATERIALIZED with it. */
    private final BiConsumer<FeatureGroup, Boolean> filledListener;
    /** The group versions whose fill is queued or running on this replica. */
    private final Set<Long> filling = ConcurrentHashMap.newKeySet();
    private final BoundedExecutor fills;
    private final AtomicLong fillSeq = new AtomicLong();

    GroupFills(RegistryCatalog catalog, StrategyStore store, StrategyFill fill, Materializer materializer, SnapshotMaintenance maintenance,
            QuiverConfig.Hybrid config, MeterRegistry meters, BiFunction<FeatureGroup, StrategyRow, Mode> target,
            BiConsumer<FeatureGroup, Boolean> filledListener) {
        this.catalog = catalog;
        this.store = store;
        this.fill = fill;
        this.materializer = materializer;
        this.maintenance = maintenance;
        this.config = config;
        this.meters = meters;
        this.target = target;
        this.filledListener = filledListener;
        this.fills = BoundedExecutor.ordered("quiver-hybrid-fill", Math.max(1, config.fillThreads()), 1_000, QueuedFill.ORDER);
    }

    /** Whether the group's latest fill failed less than {@link #FAILED_BACKOFF} ago. */
    static boolean backingOff(StrategyRow r) {
        return FAILED.equals(r.fillState) && r.updatedAt != null && r.updatedAt.plus(FAILED_BACKOFF).isAfter(Instant.now());
    }

    /** Whether a fill or a clear of the group's stored data is live (on any replica). */
    private static boolean busy(StrategyRow r) {
        return (RUNNING.equals(r.fillState) || CLEARING.equals(r.fillState)) && r.updatedAt != null
                && r.updatedAt.plus(ABANDONED).isAfter(Instant.now());
    }

    /**
     * Starts a fill of the group's stored data from its query unless one runs here; reads switch when it succeeds. A
     * fill to switch is not started when the row, read again under its lock, already serves MATERIALIZED: the caller
     * decided from a row read before another fill (a concurrent round, or evaluateStrategy) succeeded.
     */
    void start(FeatureGroup g, String why, boolean refresh) {
        if (!filling.add(g.id())) {
            return;
        }
        try {
            boolean[] started = {false};
            double[] expectedMs = {Double.MAX_VALUE};
            store.update(g.id(), c -> {
                if (busy(c.row)) {
                    return; // another replica fills or clears it now
                }
                if (!refresh && Mode.valueOf(c.row.serving) == Mode.MATERIALIZED) {
                    return; // switched meanwhile: nothing to fill
                }
                c.row.fillState = RUNNING;
                c.event(StrategyEvent.Kind.FILL_STARTED, null, Mode.MATERIALIZED, "filling stored data from the query " + why, null);
                started[0] = true;
                expectedMs[0] = expectedFillMs(c.row);
            });
            if (!started[0]) {
                filling.remove(g.id());
                return;
            }
            fills.execute(new QueuedFill(() -> runFill(g), refresh, expectedMs[0], fillSeq.incrementAndGet()));
        } catch (RuntimeException e) {
            filling.remove(g.id());
            try {
                store.update(g.id(), c -> c.row.fillState = RUNNING.equals(c.row.fillState) ? FAILED : c.row.fillState);
            } catch (RuntimeException again) {
                LOG.debugf(again, "could not reset the fill state of %s@%d", g.name(), g.version());
            }
            throw e;
        }
    }

    /** What a fill of the group is expected to take: its last fill, else the last decision's estimate, else unknown (last). */
    static double expectedFillMs(StrategyRow r) {
        if (r.fillMillis != null) {
            return r.fillMillis;
        }
        if (StrategyStore.recorded(r.inputsJson).get("refreshMs") instanceof Number estimate) {
            return estimate.doubleValue();
        }
        return Double.MAX_VALUE;
    }

    /** The queue fills wait in for a fill thread (tests hold its threads). */
    BoundedExecutor queue() {
        return fills;
    }

    /**
     * Whether a fill taken from the queue is still wanted: not when, while it waited, its group turned VIRTUALIZED
     * (target and reads) by a decision or an override. It is then cancelled before it computes or stores anything.
     */
    private boolean stillWanted(FeatureGroup g) {
        boolean[] wanted = {true};
        store.update(g.id(), c -> {
            if (RUNNING.equals(c.row.fillState) && target.apply(g, c.row) == Mode.VIRTUALIZED && Mode.valueOf(c.row.serving) == Mode.VIRTUALIZED) {
                c.row.fillState = CANCELLED;
                c.event(StrategyEvent.Kind.FILL_CANCELLED, null, null, "the fill was cancelled before it ran: the group turned VIRTUALIZED ("
                        + (c.row.forced != null ? "forced: " + c.row.forcedReason : c.row.reason) + ") while it waited for a fill thread", null);
                wanted[0] = false;
            }
        });
        return wanted[0];
    }

    private void runFill(FeatureGroup g) {
        long t0 = System.nanoTime();
        try {
            if (!stillWanted(g)) {
                fillTimer("cancelled").record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                return;
            }
            GroupSchema schema = catalog.group(g.name(), g.version());
            StrategyFill.Filled[] filled = {null};
            // a materialization job of its own (listed with the group's jobs), under the group's lease
            MaterializationJob job = materializer.runAsJob(g, MaterializationJob.Kind.FILL, MaterializationJob.Trigger.SELECTOR, progress -> {
                filled[0] = fill.fill(schema, progress);
                return filled[0].entities();
            });
            if (job.status() != MaterializationJob.Status.SUCCEEDED) {
                if (filled[0] != null && filled[0].onlineTable() != null) {
                    fill.dropGeneration(filled[0].onlineTable()); // loaded, but the job did not end well: nothing reads it
                }
                throw new QuiverException(job.errorCode() == null ? ErrorCode.FEATURE_MATERIALIZATION_FAILED : ErrorCode.valueOf(job.errorCode()),
                        job.error() + " (job " + job.id() + ")");
            }
            String generation = filled[0].onlineTable();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            List<String> dropNow = new java.util.ArrayList<>();
            boolean[] switchedNow = {false};
            try {
                store.update(g.id(), c -> {
                    dropNow.clear();
                    promote(c.row, generation, dropNow);
                    switchedNow[0] = succeeded(g, c, filled[0], job, millis);
                });
            } catch (RuntimeException e) {
                // did the promotion land? only a generation no read can use is dropped
                try {
                    if (generation != null && !generation.equals(store.find(g.id()).map(r -> r.onlineTable).orElse(null))) {
                        fill.dropGeneration(generation);
                    }
                } catch (RuntimeException unknown) {
                    LOG.warnf("could not tell whether the fill of %s@%d was recorded; its online table %s stays until the stored data is cleared",
                            g.name(), g.version(), generation);
                }
                throw e;
            }
            dropNow.forEach(fill::dropGeneration);
            fillTimer("succeeded").record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            filledListener.accept(g, switchedNow[0]); // this replica's reads move to the new generation at once, the others' within a second
        } catch (RuntimeException e) {
            String message = e instanceof QuiverException q ? q.getMessage() : "unexpected error: " + e.getClass().getSimpleName();
            LOG.warnf(e, "fill of hybrid group %s@%d failed", g.name(), g.version());
            fillTimer("failed").record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            try {
                store.update(g.id(), c -> {
                    c.row.fillState = FAILED;
                    c.event(StrategyEvent.Kind.FILL_FAILED, null, null, "the fill failed, reads stay " + c.row.serving
                            + " (the scheduled round tries again after " + FAILED_BACKOFF.toMinutes() + " minutes; evaluateStrategy at once): " + message, null);
                });
            } catch (RuntimeException again) {
                LOG.warnf("could not record the failed fill of %s@%d: %s", g.name(), g.version(), again.getMessage());
            }
        } finally {
            filling.remove(g.id());
        }
    }

    /**
     * Makes a successful fill's online generation the one reads use; the one it replaces is retired (dropped by a round
     * after {@code quiver.hybrid.retired-grace}, when no replica can still be reading it), and one retired before
     * that, still waiting, goes at once (it has not been read since the fill before this one).
     */
    private static void promote(StrategyRow row, String generation, List<String> dropNow) {
        if (generation == null || generation.equals(row.onlineTable)) {
            return;
        }
        if (row.onlineTable != null) {
            if (row.retiredTable != null) {
                dropNow.add(row.retiredTable);
            }
            row.retiredTable = row.onlineTable;
            row.retiredAt = StrategyStore.now();
        }
        row.onlineTable = generation;
    }

    /** Records a successful fill on the row; returns whether reads switched to MATERIALIZED with it. */
    private boolean succeeded(FeatureGroup g, StrategyStore.Change c, StrategyFill.Filled filled, MaterializationJob job, long millis) {
        c.row.fillState = "SUCCEEDED";
        c.row.fillMillis = millis;
        c.row.filledAt = StrategyStore.now();
        Mode to = target.apply(g, c.row);
        if (to == Mode.VIRTUALIZED && Mode.valueOf(c.row.serving) == Mode.VIRTUALIZED && c.row.storedUntil == null) {
            // the target changed while it filled: what it stored expires like any stored data of a virtual group
            c.row.storedUntil = StrategyStore.now().plus(config.storedGrace());
        }
        if (to == Mode.MATERIALIZED && Mode.valueOf(c.row.serving) == Mode.VIRTUALIZED) {
            c.row.serving = Mode.MATERIALIZED.name();
            c.row.storedUntil = null;
            c.event(StrategyEvent.Kind.SWITCHED, Mode.VIRTUALIZED, Mode.MATERIALIZED, "reads are served from stored data from now on: "
                    + filled.rows() + " rows stored from the query by job " + job.id() + " in " + millis + " ms on " + filled.engine() + " ("
                    + (c.row.forced != null ? "forced: " + c.row.forcedReason : c.row.reason) + ")", null);
            return true;
        }
        return false;
    }

    private io.micrometer.core.instrument.Timer fillTimer(String result) {
        return io.micrometer.core.instrument.Timer.builder("quiver.hybrid.fills")
                .description("Fills of hybrid groups' stored data from their queries (switches and refreshes), by result (succeeded, failed, cancelled)")
                .tag("result", result).register(meters);
    }

    /**
     * On every replica, each round: the fills queued or running here are renewed, so that a fill waiting in the queue
     * or running for long is not taken as abandoned ({@link #ABANDONED}) and started again by another replica.
     */
    void renew() {
        for (Long id : filling) {
            try {
                store.renewFill(id);
            } catch (RuntimeException e) {
                LOG.debugf(e, "could not renew the fill of group version %d (renewed next round)", id);
            }
        }
    }

    /** Refreshes a materialized group when due; expires the stored data of a virtualized one after the grace period. */
    void maintain(FeatureGroup g, StrategyRow r, Instant now) {
        if (r != null && r.retiredTable != null && r.retiredAt != null && !r.retiredAt.plus(config.retiredGrace()).isAfter(now)) {
            String retired = r.retiredTable;
            if (fill.dropGeneration(retired)) {
                store.update(g.id(), c -> {
                    if (retired.equals(c.row.retiredTable)) {
                        c.row.retiredTable = null;
                        c.row.retiredAt = null;
                    }
                });
            }
        }
        if (r == null || filling.contains(g.id()) || busy(r)) {
            return;
        }
        Mode serving = Mode.valueOf(r.serving);
        if (serving == Mode.MATERIALIZED && target.apply(g, r) == Mode.MATERIALIZED) {
            long every = config.refreshInterval().toSeconds();
            if (g.ttlSeconds() > 0) {
                every = Math.min(every, g.ttlSeconds());
            }
            if ((r.filledAt == null || !r.filledAt.plusSeconds(every).isAfter(now)) && !backingOff(r)) {
                start(g, "to refresh it (every " + every + " s)", true);
            }
        } else if (serving == Mode.VIRTUALIZED && r.storedUntil != null && !r.storedUntil.isAfter(now)) {
            expireStored(g, now);
        }
    }

    /**
     * Expires a virtual group's stored data after the grace period: claimed under the row lock (CLEARING, which no fill
     * starts over), then an empty snapshot, snapshot expiry (files freed) and the online table dropped.
     */
    private void expireStored(FeatureGroup g, Instant now) {
        boolean[] claimed = {false};
        store.update(g.id(), c -> {
            if (!busy(c.row) && Mode.valueOf(c.row.serving) == Mode.VIRTUALIZED && target.apply(g, c.row) == Mode.VIRTUALIZED
                    && c.row.storedUntil != null && !c.row.storedUntil.isAfter(now)) {
                c.row.fillState = CLEARING;
                claimed[0] = true;
            }
        });
        if (!claimed[0]) {
            return;
        }
        try {
            fill.clear(catalog.group(g.name(), g.version()));
            maintenance.expire(g.name(), g.version(), Instant.now(), 1);
            store.update(g.id(), c -> {
                c.row.storedUntil = null;
                c.row.fillState = null;
                c.row.filledAt = null;
                c.row.onlineTable = null; // dropped with the group's own table, like every generation
                c.row.retiredTable = null;
                c.row.retiredAt = null;
                c.event(StrategyEvent.Kind.STORED_EXPIRED, null, null, "stored data expired (snapshot emptied, files freed, online values "
                        + "dropped): served VIRTUALIZED for the grace period of " + config.storedGrace(), null);
            });
        } catch (RuntimeException e) {
            store.update(g.id(), c -> c.row.fillState = CLEARING.equals(c.row.fillState) ? FAILED : c.row.fillState);
            throw e;
        }
    }

    void close() {
        fills.close(Duration.ofSeconds(5));
    }
}
