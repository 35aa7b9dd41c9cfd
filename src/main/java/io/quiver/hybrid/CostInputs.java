package io.quiver.hybrid;

import java.util.Map;

import io.quiver.access.AccessPath;
import io.quiver.access.AccessSummary;
import io.quiver.config.Mode;
import io.quiver.config.QuiverConfig;
import io.quiver.offline.Snapshot;
import io.quiver.offline.SnapshotLog;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.FeatureGroup;
import jakarta.enterprise.context.ApplicationScoped;

/** The cost model's inputs for a group now: measured where enough was measured, estimated otherwise. */
@ApplicationScoped
public class CostInputs {

    static final double GIB = 1024.0 * 1024 * 1024;

    private final AccessMetrics metrics;
    private final SnapshotLog snapshots;
    private final EffectiveConfigResolver settings;
    private final QuiverConfig.Hybrid config;

    public CostInputs(AccessMetrics metrics, SnapshotLog snapshots, EffectiveConfigResolver settings, QuiverConfig config) {
        this.metrics = metrics;
        this.snapshots = snapshots;
        this.settings = settings;
        this.config = config.hybrid();
    }

    /** The inputs of a decision for the group now; {@code hour} and {@code day} are its summaries over those windows. */
    CostModel.Inputs of(FeatureGroup g, StrategyRow row, AccessSummary hour, AccessSummary day) {
        Snapshot snapshot = snapshots.current(g).orElse(null);
        Long rowsKnown = metrics.estimatedRows(g, snapshot);
        long rows = rowsKnown == null ? 0 : rowsKnown;
        long threshold = Math.max(1, Long.parseLong(settings.value(g, ConfigKey.HYBRID_THRESHOLD_ROWS)));
        double scale = Math.max(1.0, (double) rows / threshold);
        double virtualEstimate = config.virtualReadEstimate().toNanos() / 1e6;
        boolean virtualMeasured = day.servedReads(Mode.VIRTUALIZED) >= config.minSamples();
        boolean storedMeasured = day.servedReads(Mode.MATERIALIZED) >= config.minSamples();
        double lv = virtualMeasured ? day.meanReadMillis(Mode.VIRTUALIZED) : virtualEstimate * scale;
        double lm = storedMeasured ? day.meanReadMillis(Mode.MATERIALIZED) : config.materializedReadEstimate().toNanos() / 1e6;
        boolean refreshMeasured = row != null && row.fillMillis != null;
        double tr = refreshMeasured ? row.fillMillis : virtualEstimate * scale;
        long refreshSeconds = config.refreshInterval().toSeconds();
        if (g.ttlSeconds() > 0) {
            refreshSeconds = Math.min(refreshSeconds, g.ttlSeconds());
        }
        double refreshesPerHour = 3600.0 / Math.max(1, refreshSeconds);
        boolean bytesMeasured = snapshot != null && snapshot.bytes() > 0;
        double gib = (bytesMeasured ? snapshot.bytes() + bytesOnline(g) : lakeBytes(g)) / GIB;
        Mode current = row == null ? null : StrategyStore.mode(row.decided != null ? row.decided : row.serving);
        CostModel.Objective objective = objective(Double.parseDouble(settings.value(g, ConfigKey.HYBRID_ONLINE_P99_MS)), day,
                StrategyStore.recorded(row == null ? null : row.inputsJson), row != null && Mode.MATERIALIZED.name().equals(row.serving),
                config.minSamples(), config.materializedReadEstimate().toNanos() / 1e6);
        return new CostModel.Inputs(current, hour.servedReads(), lv, virtualMeasured, lm, storedMeasured, tr, refreshMeasured, refreshesPerHour,
                gib, bytesMeasured, rows, Double.parseDouble(settings.value(g, ConfigKey.HYBRID_HOT_READS_PER_HOUR)),
                Double.parseDouble(settings.value(g, ConfigKey.HYBRID_COLD_READS_PER_HOUR)), config.storageMsPerGibHour(), config.hysteresis(),
                objective);
    }

    /**
     * The online-read objective's inputs: the p99 of the last day's online reads computed from lake data once there are
     * {@code minSamples} of them, else the one the previous decision recorded (a stored group's reads are no longer
     * computed, and its data only grows); the p99 of stored online reads once measured, else the estimate. While the
     * group is served from stored data ({@code stored}) the kept value only rises: the computed reads still in the
     * day's window are the last ones before the switch, fewer each hour, and must not talk it down.
     */
    static CostModel.Objective objective(double p99Ms, AccessSummary day, Map<String, Object> previous, boolean stored, int minSamples,
            double storedEstimateMs) {
        Double virtual = null;
        String from = null;
        Double kept = previous.get(CostModel.Objective.VIRTUAL) instanceof Number last ? last.doubleValue() : null;
        if (day.accesses(AccessPath.ONLINE, Mode.VIRTUALIZED) >= minSamples) {
            virtual = day.quantile(AccessPath.ONLINE, Mode.VIRTUALIZED, 0.99);
            from = CostModel.Objective.MEASURED;
        }
        if (kept != null && (virtual == null || stored && kept > virtual)) {
            virtual = kept;
            from = CostModel.Objective.LAST_MEASURED;
        }
        boolean storedMeasured = day.accesses(AccessPath.ONLINE, Mode.MATERIALIZED) >= minSamples;
        double storedP99 = storedMeasured ? day.quantile(AccessPath.ONLINE, Mode.MATERIALIZED, 0.99) : storedEstimateMs;
        return new CostModel.Objective(p99Ms, virtual, from, storedP99, storedMeasured);
    }

    /** The group's online bytes, 0 when the online store cannot say (the offline bytes then stand for all). */
    long bytesOnline(FeatureGroup g) {
        Long bytes = metrics.bytesOnline(g);
        return bytes == null ? 0 : bytes;
    }

    /** Bytes of the group's data sources' files: what storing its result is estimated to take before it has been stored. */
    private long lakeBytes(FeatureGroup g) {
        return metrics.sources(g).stream().mapToLong(DataSource::bytes).sum();
    }
}
