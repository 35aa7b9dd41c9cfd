package io.quiver.hybrid;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quiver.access.AccessSummary;
import io.quiver.access.AccessWindow;
import io.quiver.concurrent.BoundedExecutor;
import io.quiver.config.Mode;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.offline.SnapshotMaintenance;
import io.quiver.online.MaterializationJob;
import io.quiver.online.Materializer;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.ServingStrategy;
import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The hybrid selector: for each HYBRID group with a query template, decides from its access metrics whether it is
 * served MATERIALIZED or VIRTUALIZED ({@link CostModel}), keeps the decision for {@code hybrid_cache_ttl}, honours an
 * operator's override, and switches safely: a group turning MATERIALIZED is served from stored data only once a fill
 * from its query has succeeded; a group turning VIRTUALIZED is read from the lake at once and its stored data expires
 * after {@code quiver.hybrid.stored-grace}. Every change is an event with its reason and inputs.
 */
@ApplicationScoped
public class HybridSelector implements ServingStrategy {

    private static final Logger LOG = Logger.getLogger(HybridSelector.class);
    private static final String EVALUATOR = "evaluator";
    /** Strategy events kept per group version (the newest); older ones are deleted by the round. */
    static final int EVENTS_KEPT = 1_000;

    private final RegistryCatalog catalog;
    private final EffectiveConfigResolver settings;
    private final StrategyStore store;
    private final AccessMetrics metrics;
    private final SnapshotMaintenance maintenance;
    private final StrategyFill fill;
    private final Materializer materializer;
    private final io.quiver.audit.AuditLog audit;
    private final CostInputs costInputs;
    private final Recommendations recommendations;
    private final QuiverConfig.Hybrid config;
    private final MeterRegistry meters;
    /** What serves each group version now, by row id. */
    private final LoadingCache<Long, Optional<Served>> served;
    private final Set<Long> filling = ConcurrentHashMap.newKeySet();
    private final BoundedExecutor fills;
    private final java.util.concurrent.atomic.AtomicLong fillSeq = new java.util.concurrent.atomic.AtomicLong();
    private final String holder = "replica-" + UUID.randomUUID();

    public HybridSelector(RegistryCatalog catalog, EffectiveConfigResolver settings, StrategyStore store, AccessMetrics metrics,
            SnapshotMaintenance maintenance, StrategyFill fill, CostInputs costInputs, Recommendations recommendations, QuiverConfig config,
            MeterRegistry meters, Materializer materializer, io.quiver.audit.AuditLog audit) {
        this.audit = audit;
        this.materializer = materializer;
        this.catalog = catalog;
        this.settings = settings;
        this.store = store;
        this.metrics = metrics;
        this.maintenance = maintenance;
        this.fill = fill;
        this.costInputs = costInputs;
        this.recommendations = recommendations;
        this.config = config.hybrid();
        this.meters = meters;
        this.fills = BoundedExecutor.ordered("quiver-hybrid-fill", Math.max(1, this.config.fillThreads()), 1_000, QueuedFill.ORDER);
        // an entry unused for a minute goes: a replica's reads follow a new online generation within that minute at
        // worst (refreshed every second while used), well inside the retired generation's grace
        this.served = Caffeine.newBuilder().refreshAfterWrite(Duration.ofSeconds(1)).expireAfterAccess(Duration.ofMinutes(1))
                .maximumSize(100_000).build(id -> store.find(id).map(r -> new Served(Mode.valueOf(r.serving), r.onlineTable)));
    }

    /** The strategy serving a group and the online table its filled values are in (null: the group's own). */
    private record Served(Mode mode, String onlineTable) {
    }

    /**
     * Read on every read of a selectable group, from a cache refreshed every second in the background: while the
     * registry database does not answer, the last known strategy stands (VIRTUALIZED, always complete, when none is).
     */
    @Override
    public Optional<Mode> served(FeatureGroup group) {
        return cached(group).map(Served::mode);
    }

    /** The generation the latest successful fill loaded, from the same cache as {@link #served}. */
    @Override
    public Optional<String> onlineTable(FeatureGroup group) {
        return cached(group).map(Served::onlineTable);
    }

    private Optional<Served> cached(FeatureGroup group) {
        try {
            return served.get(group.id());
        } catch (RuntimeException e) {
            LOG.debugf(e, "strategy of %s@%d unknown; served VIRTUALIZED", group.name(), group.version());
            return Optional.empty();
        }
    }

    /** The group version's strategy as held now. */
    public GroupStrategy strategy(FeatureGroup g) {
        Optional<StrategyRow> row = settings.selectable(g) ? store.find(g.id()) : Optional.empty();
        return view(g, row.orElse(null));
    }

    private GroupStrategy view(FeatureGroup g, StrategyRow r) {
        Mode servedAs = settings.servedAs(g);
        if (r == null) {
            return new GroupStrategy(g.name(), g.version(), settings.mode(g), settings.selectable(g), servedAs, null, null, null, List.of(),
                    null, null, null, null, null, null, null);
        }
        return new GroupStrategy(g.name(), g.version(), settings.mode(g), settings.selectable(g), Mode.valueOf(r.serving),
                StrategyStore.mode(r.decided), r.decidedAt, r.reason, StrategyStore.inputs(r.inputsJson), StrategyStore.mode(r.forced),
                r.forcedUntil, r.forcedReason, r.fillState, r.fillMillis, r.filledAt, r.storedUntil);
    }

    public List<StrategyEvent> history(FeatureGroup g, int first) {
        return store.history(g.id(), first);
    }

    // ---- decisions

    /** Evaluates the group now (on demand, or when its decision is older than its cache TTL), records and applies it. */
    public GroupStrategy evaluate(FeatureGroup g) {
        requireSelectable(g, "evaluate the strategy of");
        Map<String, AccessSummary> hour = metrics.summaries(List.of(g.name()), AccessWindow.LAST_HOUR);
        Map<String, AccessSummary> day = metrics.summaries(List.of(g.name()), AccessWindow.LAST_DAY);
        return evaluate(g, hour.get(g.name()), day.get(g.name()), true);
    }

    private GroupStrategy evaluate(FeatureGroup g, AccessSummary hour, AccessSummary day, boolean onDemand) {
        StrategyRow before = store.find(g.id()).orElse(null);
        CostModel.Inputs in = costInputs.of(g, before, hour, day);
        CostModel.Decision d = CostModel.decide(in);
        StrategyRow row = store.update(g.id(), c -> {
            Mode old = StrategyStore.mode(c.row.decided);
            if (old != d.strategy()) {
                c.event(StrategyEvent.Kind.DECIDED, old, d.strategy(), d.reason(), in.asMap());
            }
            c.row.decided = d.strategy().name();
            c.row.decidedAt = StrategyStore.now();
            c.row.reason = d.reason();
            c.row.inputsJson = io.quiver.json.Json.write(in.asMap());
            if (onDemand) { // asked for through the API (evaluateStrategy, applyRecommendation); the scheduled round is the system's
                audit.changed("EVALUATE_STRATEGY", g.name() + "@" + g.version(), "decided " + d.reason());
            }
        });
        return apply(g, row, onDemand);
    }

    /** The strategy reads should move to: the override while it lasts, else the decision (MATERIALIZED only with auto-materialize). */
    private Mode target(FeatureGroup g, StrategyRow r) {
        if (r.forced != null && (r.forcedUntil == null || r.forcedUntil.isAfter(Instant.now()))) {
            return Mode.valueOf(r.forced);
        }
        Mode decided = StrategyStore.mode(r.decided);
        if (decided == Mode.MATERIALIZED && !Boolean.parseBoolean(settings.value(g, ConfigKey.AUTO_MATERIALIZE_ON_READ))) {
            return Mode.VIRTUALIZED;
        }
        return decided == null ? Mode.VIRTUALIZED : decided;
    }

    /** Moves reads toward the target: a fill first when it is MATERIALIZED, at once when it is VIRTUALIZED. */
    /**
     * @param onDemand asked through the API: a failed fill is tried again at once, not only after
     *        {@link #FAILED_BACKOFF} as the scheduled round does
     */
    private GroupStrategy apply(FeatureGroup g, StrategyRow row, boolean onDemand) {
        Mode target = target(g, row);
        Mode serving = Mode.valueOf(row.serving);
        if (target == Mode.MATERIALIZED && serving == Mode.VIRTUALIZED) {
            if (onDemand || !backingOff(row)) {
                startFill(g, "to serve it MATERIALIZED", false);
            }
        } else if (target == Mode.VIRTUALIZED && serving == Mode.MATERIALIZED) {
            row = store.update(g.id(), c -> {
                if (Mode.valueOf(c.row.serving) == Mode.MATERIALIZED) {
                    c.row.serving = Mode.VIRTUALIZED.name();
                    c.row.storedUntil = StrategyStore.now().plus(config.storedGrace());
                    c.event(StrategyEvent.Kind.SWITCHED, Mode.MATERIALIZED, Mode.VIRTUALIZED, "reads are computed from lake data from now on ("
                            + (c.row.forced != null ? "forced: " + c.row.forcedReason : c.row.reason) + "); stored data is kept until "
                            + c.row.storedUntil + ", then expired", null);
                }
            });
            switched(g, Mode.VIRTUALIZED);
        }
        return view(g, store.find(g.id()).orElse(row));
    }

    private void switched(FeatureGroup g, Mode to) {
        served.invalidate(g.id());
        Counter.builder("quiver.hybrid.switches").description("Hybrid groups whose reads switched strategy").tag("group", g.name())
                .tag("to", to.name()).register(meters).increment();
    }

    static final String RUNNING = "RUNNING";
    static final String FAILED = "FAILED";
    static final String CLEARING = "CLEARING";
    static final String CANCELLED = "CANCELLED";
    /** A fill or clear not renewed for this long is taken as abandoned (its replica stopped). */
    private static final Duration ABANDONED = Duration.ofMinutes(30);

    /** How long the scheduled round waits before it tries a failed fill again. */
    static final Duration FAILED_BACKOFF = Duration.ofMinutes(10);

    /** Whether the group's latest fill failed less than {@link #FAILED_BACKOFF} ago. */
    private static boolean backingOff(StrategyRow r) {
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
    private void startFill(FeatureGroup g, String why, boolean refresh) {
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
    BoundedExecutor fillQueue() {
        return fills;
    }

    /**
     * Whether a fill taken from the queue is still wanted: not when, while it waited, its group turned VIRTUALIZED
     * (target and reads) by a decision or an override. It is then cancelled before it computes or stores anything.
     */
    private boolean stillWanted(FeatureGroup g) {
        boolean[] wanted = {true};
        store.update(g.id(), c -> {
            if (RUNNING.equals(c.row.fillState) && target(g, c.row) == Mode.VIRTUALIZED && Mode.valueOf(c.row.serving) == Mode.VIRTUALIZED) {
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
            served.invalidate(g.id()); // this replica's reads move to the new generation at once, the others' within a second
            if (switchedNow[0]) {
                switched(g, Mode.MATERIALIZED);
            }
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
        Mode target = target(g, c.row);
        if (target == Mode.VIRTUALIZED && Mode.valueOf(c.row.serving) == Mode.VIRTUALIZED && c.row.storedUntil == null) {
            // the target changed while it filled: what it stored expires like any stored data of a virtual group
            c.row.storedUntil = StrategyStore.now().plus(config.storedGrace());
        }
        if (target == Mode.MATERIALIZED && Mode.valueOf(c.row.serving) == Mode.VIRTUALIZED) {
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
                .description("Fills of hybrid groups' stored data from their queries (switches and refreshes), by result")
                .tag("result", result).register(meters);
    }

    // ---- overrides and recommendations

    /**
     * Forces the group's strategy until {@code until} (null: until cleared), or clears the override ({@code strategy}
     * null). A forced MATERIALIZED still waits for its fill before reads switch.
     */
    public GroupStrategy force(FeatureGroup g, Mode strategy, Instant until, String reason) {
        requireSelectable(g, "force the strategy of");
        if (strategy == Mode.HYBRID) {
            throw new InvalidArgumentException("force MATERIALIZED or VIRTUALIZED, or give no strategy to clear the override; HYBRID is the mode, not a strategy");
        }
        if (strategy != null && until != null && !until.isAfter(Instant.now())) {
            throw new InvalidArgumentException("until (" + until + ") is in the past; give a later time, or none to force until cleared");
        }
        if (strategy != null && (reason == null || reason.isBlank())) {
            throw new InvalidArgumentException("give a reason for forcing the strategy: it is shown on the group and in its history");
        }
        if (reason != null && reason.length() > 500) {
            throw new InvalidArgumentException("the reason is " + reason.length() + " characters long; give at most 500");
        }
        StrategyRow row = store.update(g.id(), c -> {
            Mode old = StrategyStore.mode(c.row.forced);
            if (strategy == null) {
                if (old != null) {
                    c.event(StrategyEvent.Kind.FORCE_CLEARED, old, null, "override cleared" + (reason == null ? "" : ": " + reason)
                            + "; the selector's decision applies again", null);
                }
                c.row.forced = null;
                c.row.forcedUntil = null;
                c.row.forcedReason = null;
            } else {
                c.row.forced = strategy.name();
                c.row.forcedUntil = until;
                c.row.forcedReason = reason;
                c.event(StrategyEvent.Kind.FORCED, old, strategy, "forced " + strategy + (until == null ? " until cleared" : " until " + until)
                        + ": " + reason, null);
            }
            audit.changed("FORCE_STRATEGY", g.name() + "@" + g.version(), strategy == null ? "override cleared" + (reason == null ? "" : ": " + reason)
                    : "forced " + strategy + (until == null ? " until cleared" : " until " + until) + ": " + reason);
        });
        return apply(g, row, true);
    }

    /** Evaluates the group now and applies the decision (clears nothing: an override still wins while it lasts). */
    public GroupStrategy applyRecommendation(FeatureGroup g) {
        if (!settings.selectable(g)) {
            Recommendation r = recommendations.of(List.of(g)).get(0);
            throw new InvalidArgumentException("feature group '" + g.name() + "' version " + g.version() + " " + whyNotSelectable(g)
                    + ", so the selector does not choose its strategy; recommended: " + r.recommended() + " (" + r.howToApply() + ")");
        }
        return evaluate(g);
    }

    private void requireSelectable(FeatureGroup g, String action) {
        if (!settings.selectable(g)) {
            throw new InvalidArgumentException("cannot " + action + " feature group '" + g.name() + "' version " + g.version() + ": it "
                    + whyNotSelectable(g) + ", and only the latest version of a HYBRID group with a query template has a strategy chosen for it");
        }
    }

    private String whyNotSelectable(FeatureGroup g) {
        if (settings.mode(g) != Mode.HYBRID) {
            return "is " + settings.mode(g);
        }
        if (!g.latest()) {
            return "is not the latest version (older versions are served VIRTUALIZED)";
        }
        return "is HYBRID without a query template or with virtualization disabled";
    }

    // ---- the schedule

    /**
     * One round, on one replica at a time (the lease): ended overrides cleared, groups whose decision is older than
     * their {@code hybrid_cache_ttl} evaluated, materialized groups refreshed when due, stored data of groups turned
     * VIRTUALIZED expired after the grace period.
     */
    @Scheduled(every = "${quiver.hybrid.evaluate-interval:PT1M}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        renewFills();
        try {
            if (store.lease(EVALUATOR, holder, config.evaluateInterval().multipliedBy(3))) {
                round();
            }
        } catch (RuntimeException e) {
            LOG.warnf("hybrid evaluation round failed (tried again next round): %s", e.getMessage());
        }
    }

    /**
     * On every replica, each round: the fills queued or running here are renewed, so that a fill waiting in the queue
     * or running for long is not taken as abandoned ({@link #ABANDONED}) and started again by another replica.
     */
    void renewFills() {
        for (Long id : filling) {
            try {
                store.renewFill(id);
            } catch (RuntimeException e) {
                LOG.debugf(e, "could not renew the fill of group version %d (renewed next round)", id);
            }
        }
    }

    /** One evaluation round (see {@link #scheduled}); public for tests and the benchmark. */
    public void round() {
        List<FeatureGroup> groups = catalog.allGroupVersions().stream().filter(g -> g.latest() && settings.selectable(g)).toList();
        if (groups.isEmpty()) {
            return;
        }
        List<String> names = groups.stream().map(FeatureGroup::name).distinct().toList();
        Map<String, AccessSummary> hour;
        Map<String, AccessSummary> day;
        try {
            hour = metrics.summaries(names, AccessWindow.LAST_HOUR);
            day = metrics.summaries(names, AccessWindow.LAST_DAY);
        } catch (RuntimeException e) {
            // no metrics, no new decisions; overrides still end, refreshes and expiry still run
            LOG.warnf("hybrid round without access metrics (decisions wait): %s", e.getMessage());
            hour = null;
            day = null;
        }
        Map<Long, StrategyRow> rows = new HashMap<>(store.all());
        Instant now = Instant.now();
        for (FeatureGroup g : groups) {
            try {
                StrategyRow r = rows.get(g.id());
                if (r != null && r.forced != null && r.forcedUntil != null && !r.forcedUntil.isAfter(now)) {
                    r = store.update(g.id(), c -> {
                        if (c.row.forcedUntil != null && !c.row.forcedUntil.isAfter(now)) {
                            c.event(StrategyEvent.Kind.FORCE_EXPIRED, StrategyStore.mode(c.row.forced), null, "the override ("
                                    + c.row.forcedReason + ") ended at " + c.row.forcedUntil + "; the selector's decision applies again", null);
                            c.row.forced = null;
                            c.row.forcedUntil = null;
                            c.row.forcedReason = null;
                        }
                    });
                }
                Duration ttl = Duration.parse(settings.value(g, ConfigKey.HYBRID_CACHE_TTL));
                if (hour != null && (r == null || r.decidedAt == null || !r.decidedAt.plus(ttl).isAfter(now))) {
                    evaluate(g, hour.get(g.name()), day.get(g.name()), false);
                } else if (r != null) {
                    apply(g, store.find(g.id()).orElse(r), false); // as it is now: another replica may have changed it
                }
                maintain(g, store.find(g.id()).orElse(null), now);
                store.prune(g.id(), EVENTS_KEPT);
            } catch (RuntimeException e) {
                LOG.warnf("hybrid evaluation of %s@%d failed (tried again next round): %s", g.name(), g.version(), e.getMessage());
            }
        }
    }

    /** Refreshes a materialized group when due; expires the stored data of a virtualized one after the grace period. */
    private void maintain(FeatureGroup g, StrategyRow r, Instant now) {
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
        if (serving == Mode.MATERIALIZED && target(g, r) == Mode.MATERIALIZED) {
            long every = config.refreshInterval().toSeconds();
            if (g.ttlSeconds() > 0) {
                every = Math.min(every, g.ttlSeconds());
            }
            if ((r.filledAt == null || !r.filledAt.plusSeconds(every).isAfter(now)) && !backingOff(r)) {
                startFill(g, "to refresh it (every " + every + " s)", true);
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
            if (!busy(c.row) && Mode.valueOf(c.row.serving) == Mode.VIRTUALIZED && target(g, c.row) == Mode.VIRTUALIZED
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

    @PreDestroy
    void stop() {
        fills.close(Duration.ofSeconds(5));
    }
}
