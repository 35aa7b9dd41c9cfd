package io.quiver.hybrid;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.quiver.config.Mode;

/**
 * The hybrid selector's decision for one group, from numbers alone (no I/O). Both strategies are priced in
 * milliseconds of work per hour:
 *
 * <pre>
 * cost(VIRTUALIZED)  = r * Lv
 * cost(MATERIALIZED) = r * Lm + R * Tr + w * S
 * </pre>
 *
 * r reads per hour (all read paths, last hour), Lv and Lm the mean time of a virtual and a stored read (measured once
 * a strategy has {@code minSamples} reads in the last day, estimated before), R refreshes per hour (the refresh
 * interval, or more often when the group's TTL is shorter: stored values must not go out of date between
 * refreshes), Tr the time of one refresh (the last fill measured, else a full virtual query estimated from the row
 * count against {@code hybrid_threshold_rows}), S the GiB stored and w what a GiB-hour is worth in milliseconds. A
 * group read less than the cold threshold is VIRTUALIZED (nothing pays for storing it); one read at least as often
 * as the hot threshold is MATERIALIZED when storing costs less, without waiting for the hysteresis margin;
 * otherwise the cheaper strategy wins, but replaces the current one only when it costs at least {@code hysteresis}
 * less. Reads are online and point-in-time reads: virtual table queries run the template whichever strategy serves.
 * One rule outranks cost: a group that is not cold and has an online-read objective ({@code hybrid_online_p99_ms})
 * that its virtual online reads missed at p99 is MATERIALIZED when stored reads are faster.
 */
public final class CostModel {

    private CostModel() {
    }

    /** Everything a decision depends on; recorded with it. */
    public record Inputs(
            Mode current,
            double readsPerHour,
            double virtualReadMs, boolean virtualMeasured,
            double storedReadMs, boolean storedMeasured,
            double refreshMs, boolean refreshMeasured,
            double refreshesPerHour,
            double gibStored, boolean bytesMeasured,
            long estimatedRows,
            double hotReadsPerHour, double coldReadsPerHour,
            double storageMsPerGibHour, double hysteresis,
            Objective objective) {

        /** Inputs without an online-read objective. */
        public Inputs(Mode current, double readsPerHour, double virtualReadMs, boolean virtualMeasured, double storedReadMs,
                boolean storedMeasured, double refreshMs, boolean refreshMeasured, double refreshesPerHour, double gibStored,
                boolean bytesMeasured, long estimatedRows, double hotReadsPerHour, double coldReadsPerHour, double storageMsPerGibHour,
                double hysteresis) {
            this(current, readsPerHour, virtualReadMs, virtualMeasured, storedReadMs, storedMeasured, refreshMs, refreshMeasured,
                    refreshesPerHour, gibStored, bytesMeasured, estimatedRows, hotReadsPerHour, coldReadsPerHour, storageMsPerGibHour,
                    hysteresis, Objective.NONE);
        }

        /** The same inputs, decided from another current strategy. */
        public Inputs withCurrent(Mode strategy) {
            return new Inputs(strategy, readsPerHour, virtualReadMs, virtualMeasured, storedReadMs, storedMeasured, refreshMs,
                    refreshMeasured, refreshesPerHour, gibStored, bytesMeasured, estimatedRows, hotReadsPerHour, coldReadsPerHour,
                    storageMsPerGibHour, hysteresis, objective);
        }

        /** The inputs by name, for the history and the API. */
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("current", current == null ? null : current.name());
            m.put("readsPerHour", round(readsPerHour));
            m.put("virtualReadMs", round(virtualReadMs));
            m.put("virtualReadMeasured", virtualMeasured);
            m.put("storedReadMs", round(storedReadMs));
            m.put("storedReadMeasured", storedMeasured);
            m.put("refreshMs", round(refreshMs));
            m.put("refreshMeasured", refreshMeasured);
            m.put("refreshesPerHour", round(refreshesPerHour));
            m.put("gibStored", gibStored);
            m.put("bytesMeasured", bytesMeasured);
            m.put("estimatedRows", estimatedRows);
            m.put("hotReadsPerHour", hotReadsPerHour);
            m.put("coldReadsPerHour", coldReadsPerHour);
            m.put("storageMsPerGibHour", storageMsPerGibHour);
            m.put("hysteresis", hysteresis);
            m.put(Objective.OBJECTIVE, objective.p99Ms());
            m.put(Objective.VIRTUAL, objective.virtualP99Ms() == null ? null : round(objective.virtualP99Ms()));
            m.put(Objective.VIRTUAL_FROM, objective.virtualFrom());
            m.put("storedOnlineP99Ms", round(objective.storedP99Ms()));
            m.put("storedOnlineP99Measured", objective.storedMeasured());
            return m;
        }
    }

    /**
     * What online reads should take at p99 and what they took.
     *
     * @param p99Ms the group's objective, ms ({@code hybrid_online_p99_ms}; 0: none)
     * @param virtualP99Ms the p99 of its online reads computed from lake data, ms; null when not known
     * @param virtualFrom where that p99 comes from: {@link #MEASURED} (the last day's reads) or {@link #LAST_MEASURED}
     *        (an earlier decision's measurement, kept while the group is stored and no read is computed); null when not known
     * @param storedP99Ms the p99 of its online reads from stored data, ms
     * @param storedMeasured whether that was measured (else it is the stored-read estimate)
     */
    public record Objective(double p99Ms, Double virtualP99Ms, String virtualFrom, double storedP99Ms, boolean storedMeasured) {

        public static final Objective NONE = new Objective(0, null, null, 0, false);
        public static final String MEASURED = "measured";
        public static final String LAST_MEASURED = "last measured";
        /** Names of the inputs, as recorded with a decision. */
        static final String OBJECTIVE = "onlineP99ObjectiveMs";
        static final String VIRTUAL = "virtualOnlineP99Ms";
        static final String VIRTUAL_FROM = "virtualOnlineP99From";

        /** Whether virtual online reads missed the objective and stored reads are faster. */
        boolean missed() {
            return p99Ms > 0 && virtualP99Ms != null && virtualP99Ms > p99Ms && storedP99Ms < virtualP99Ms;
        }
    }

    /** Which rule decided. */
    public enum Rule {
        COLD, OBJECTIVE, HOT, CHEAPER, HYSTERESIS
    }

    /**
     * @param strategy what the group should be served by
     * @param virtualCost cost(VIRTUALIZED), ms per hour
     * @param materializedCost cost(MATERIALIZED), ms per hour
     */
    public record Decision(Mode strategy, Rule rule, String reason, double virtualCost, double materializedCost) {

        /** Milliseconds of work per hour the chosen strategy saves over the other (negative: it costs more, kept by a rule). */
        public double savedPerHour() {
            return strategy == Mode.MATERIALIZED ? virtualCost - materializedCost : materializedCost - virtualCost;
        }
    }

    public static double virtualCost(Inputs in) {
        return in.readsPerHour() * in.virtualReadMs();
    }

    public static double materializedCost(Inputs in) {
        return in.readsPerHour() * in.storedReadMs() + in.refreshesPerHour() * in.refreshMs() + in.storageMsPerGibHour() * in.gibStored();
    }

    public static Decision decide(Inputs in) {
        double v = virtualCost(in);
        double m = materializedCost(in);
        String costs = String.format(Locale.ROOT, "virtual reads cost %s ms/h (%s reads/h x %s ms%s); storing costs %s ms/h "
                + "(%s reads/h x %s ms%s + %s refreshes/h x %s ms%s + %s GiB x %s ms per GiB-hour%s)",
                n(v), n(in.readsPerHour()), n(in.virtualReadMs()), est(in.virtualMeasured()), n(m), n(in.readsPerHour()),
                n(in.storedReadMs()), est(in.storedMeasured()), n(in.refreshesPerHour()), n(in.refreshMs()), est(in.refreshMeasured()),
                n(in.gibStored()), n(in.storageMsPerGibHour()), est(in.bytesMeasured()));
        if (in.readsPerHour() < in.coldReadsPerHour()) {
            return new Decision(Mode.VIRTUALIZED, Rule.COLD, String.format(Locale.ROOT,
                    "VIRTUALIZED: cold, %s reads/h is below the cold threshold of %s reads/h, so nothing pays for storing it; %s",
                    n(in.readsPerHour()), n(in.coldReadsPerHour()), costs), v, m);
        }
        Objective o = in.objective();
        if (o.missed()) {
            return new Decision(Mode.MATERIALIZED, Rule.OBJECTIVE, String.format(Locale.ROOT,
                    "MATERIALIZED: online reads computed from lake data took %s ms at p99 (%s), more than the group's objective "
                            + "of %s ms (hybrid_online_p99_ms), and stored ones take %s ms%s; the objective outranks cost; %s",
                    n(o.virtualP99Ms()), o.virtualFrom(), n(o.p99Ms()), n(o.storedP99Ms()), est(o.storedMeasured()), costs), v, m);
        }
        if (in.readsPerHour() >= in.hotReadsPerHour() && in.virtualReadMs() > in.storedReadMs() && m < v) {
            return new Decision(Mode.MATERIALIZED, Rule.HOT, String.format(Locale.ROOT,
                    "MATERIALIZED: hot, %s reads/h is at or above the hot threshold of %s reads/h, a virtual read takes %s ms "
                            + "against %s ms stored, and storing costs less; %s",
                    n(in.readsPerHour()), n(in.hotReadsPerHour()), n(in.virtualReadMs()), n(in.storedReadMs()), costs), v, m);
        }
        Mode cheaper = m < v ? Mode.MATERIALIZED : Mode.VIRTUALIZED;
        Mode current = in.current() == null ? Mode.VIRTUALIZED : in.current();
        if (cheaper != current) {
            double currentCost = current == Mode.MATERIALIZED ? m : v;
            double otherCost = current == Mode.MATERIALIZED ? v : m;
            if (otherCost > (1 - in.hysteresis()) * currentCost) {
                return new Decision(current, Rule.HYSTERESIS, String.format(Locale.ROOT,
                        "%s kept: %s would cost %s ms/h against %s ms/h now, less than the %s%% saving a switch needs; %s",
                        current, cheaper, n(otherCost), n(currentCost), n(in.hysteresis() * 100), costs), v, m);
            }
        }
        return new Decision(cheaper, Rule.CHEAPER, String.format(Locale.ROOT, "%s: cheaper by %s ms/h; %s", cheaper,
                n(Math.abs(v - m)), costs), v, m);
    }

    private static String est(boolean measured) {
        return measured ? "" : " estimated";
    }

    /** A number for a sentence: at most 3 significant decimals, no exponent. */
    static String n(double d) {
        if ((d == Math.rint(d) || Math.abs(d) >= 100) && Math.abs(d) < 1e15) {
            return String.format(Locale.ROOT, "%,d", Math.round(d));
        }
        return new java.math.BigDecimal(d).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
