package io.quiver.hybrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quiver.access.AccessSummary;
import io.quiver.access.AccessWindow;
import io.quiver.config.Mode;
import io.quiver.offline.Snapshot;
import io.quiver.offline.SnapshotLog;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.model.FeatureGroup;
import jakarta.enterprise.context.ApplicationScoped;

/** What the cost model recommends for groups of any mode, with the expected effect (the seeds' optimize_strategies). */
@ApplicationScoped
public class Recommendations {

    private final AccessMetrics metrics;
    private final StrategyStore store;
    private final CostInputs costInputs;
    private final SnapshotLog snapshots;
    private final EffectiveConfigResolver settings;

    public Recommendations(AccessMetrics metrics, StrategyStore store, CostInputs costInputs, SnapshotLog snapshots,
            EffectiveConfigResolver settings) {
        this.metrics = metrics;
        this.store = store;
        this.costInputs = costInputs;
        this.snapshots = snapshots;
        this.settings = settings;
    }

    /** The recommendation for every given group (latest versions), of any mode. */
    public List<Recommendation> of(List<FeatureGroup> groups) {
        List<String> names = groups.stream().map(FeatureGroup::name).toList();
        Map<String, AccessSummary> hour = metrics.summaries(names, AccessWindow.LAST_HOUR);
        Map<String, AccessSummary> day = metrics.summaries(names, AccessWindow.LAST_DAY);
        Map<Long, StrategyRow> rows = store.all();
        List<Recommendation> out = new ArrayList<>();
        for (FeatureGroup g : groups) {
            out.add(recommend(g, rows.get(g.id()), hour.get(g.name()), day.get(g.name())));
        }
        return out;
    }

    Recommendation recommend(FeatureGroup g, StrategyRow row, AccessSummary hour, AccessSummary day) {
        Mode current = settings.servedAs(g);
        CostModel.Inputs in = costInputs.of(g, row, hour, day);
        CostModel.Inputs fromCurrent = in.withCurrent(current);
        Mode mode = settings.mode(g);
        Mode recommended;
        String reason;
        if (g.queryTemplate() == null) {
            recommended = Mode.MATERIALIZED;
            reason = "MATERIALIZED: it has no query template, so it can only be served from stored data";
        } else {
            CostModel.Decision d = CostModel.decide(fromCurrent);
            recommended = d.strategy();
            reason = d.reason();
        }
        String how;
        if (recommended == current) {
            how = "nothing to do";
        } else if (settings.selectable(g)) {
            how = "applyRecommendation(group: \"" + g.name() + "\")";
        } else if (mode == Mode.HYBRID) {
            how = "enable virtualization for the group (enable_virtualization: true), then applyRecommendation";
        } else {
            how = "register a new version with mode: HYBRID (the selector then follows its access) or mode: " + recommended;
        }
        long bytesNow = snapshots.current(g).map(Snapshot::bytes).orElse(0L) + costInputs.bytesOnline(g);
        long bytesAfter = recommended == Mode.MATERIALIZED ? Math.round(in.gibStored() * CostInputs.GIB) : 0;
        return new Recommendation(g.name(), g.version(), mode, current, recommended, recommended != current, reason, how,
                readMs(in, current), readMs(in, recommended), bytesNow, recommended == current ? bytesNow : bytesAfter,
                computePerDay(in, current), computePerDay(in, recommended),
                in.asMap().entrySet().stream().map(e -> new StrategyInput(e.getKey(), String.valueOf(e.getValue()))).toList());
    }

    private static double readMs(CostModel.Inputs in, Mode m) {
        return m == Mode.VIRTUALIZED ? in.virtualReadMs() : in.storedReadMs();
    }

    private static double computePerDay(CostModel.Inputs in, Mode m) {
        return 24 * (m == Mode.VIRTUALIZED ? in.readsPerHour() * in.virtualReadMs()
                : in.readsPerHour() * in.storedReadMs() + in.refreshesPerHour() * in.refreshMs());
    }
}
