package io.quiver.hybrid;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
import io.quiver.error.InvalidArgumentException;
import io.quiver.offline.SnapshotMaintenance;
import io.quiver.online.Materializer;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.ServingStrategy;
import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.FeatureGroup;
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
    /** The lease of the one replica that runs rounds. */
    static final String EVALUATOR = "evaluator";
    /** Strategy events kept per group version (the newest); older ones are deleted by the round. */
    static final int EVENTS_KEPT = 1_000;

    private final RegistryCatalog catalog;
    private final EffectiveConfigResolver settings;
    private final StrategyStore store;
    private final AccessMetrics metrics;
    private final io.quiver.audit.AuditLog audit;
    private final CostInputs costInputs;
    private final Recommendations recommendations;
    private final QuiverConfig.Hybrid config;
    private final MeterRegistry meters;
    /** What serves each group version now, by row id. */
    private final LoadingCache<Long, Optional<Served>> served;
    private final GroupFills fills;
    private final String holder = "replica-" + UUID.randomUUID();

    public HybridSelector(RegistryCatalog catalog, EffectiveConfigResolver settings, StrategyStore store, AccessMetrics metrics,
            SnapshotMaintenance maintenance, StrategyFill fill, CostInputs costInputs, Recommendations recommendations, QuiverConfig config,
            MeterRegistry meters, Materializer materializer, io.quiver.audit.AuditLog audit) {
        this.audit = audit;
        this.catalog = catalog;
        this.settings = settings;
        this.store = store;
        this.metrics = metrics;
        this.costInputs = costInputs;
        this.recommendations = recommendations;
        this.config = config.hybrid();
        this.meters = meters;
        // an entry unused for a minute goes: a replica's reads follow a new online generation within that minute at
        // worst (refreshed every second while used), well inside the retired generation's grace
        this.served = Caffeine.newBuilder().refreshAfterWrite(Duration.ofSeconds(1)).expireAfterAccess(Duration.ofMinutes(1))
                .maximumSize(100_000).build(id -> store.find(id).map(r -> new Served(Mode.valueOf(r.serving), r.onlineTable)));
        this.fills = new GroupFills(catalog, store, fill, materializer, maintenance, this.config, meters, this::target, (g, switchedNow) -> {
            served.invalidate(g.id());
            if (switchedNow) {
                switched(g, Mode.MATERIALIZED);
            }
        });
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
     *        {@link GroupFills#FAILED_BACKOFF} as the scheduled round does
     */
    private GroupStrategy apply(FeatureGroup g, StrategyRow row, boolean onDemand) {
        Mode target = target(g, row);
        Mode serving = Mode.valueOf(row.serving);
        if (target == Mode.MATERIALIZED && serving == Mode.VIRTUALIZED) {
            if (onDemand || !GroupFills.backingOff(row)) {
                fills.start(g, "to serve it MATERIALIZED", false);
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
        fills.renew();
        try {
            if (store.lease(EVALUATOR, holder, config.evaluateInterval().multipliedBy(3))) {
                round();
            }
        } catch (RuntimeException e) {
            LOG.warnf("hybrid evaluation round failed (tried again next round): %s", e.getMessage());
        }
    }

    /** The queue fills wait in for a fill thread (tests hold its threads). */
    BoundedExecutor fillQueue() {
        return fills.queue();
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
                fills.maintain(g, store.find(g.id()).orElse(null), now);
                store.prune(g.id(), EVENTS_KEPT);
            } catch (RuntimeException e) {
                LOG.warnf("hybrid evaluation of %s@%d failed (tried again next round): %s", g.name(), g.version(), e.getMessage());
            }
        }
    }

    @PreDestroy
    void stop() {
        fills.close();
    }
}
