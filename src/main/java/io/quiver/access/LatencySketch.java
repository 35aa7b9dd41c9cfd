package io.quiver.access;

import java.util.Map;
import java.util.TreeMap;

/**
 * Latency as counts per logarithmic bucket (the index mapping of DDSketch, relative accuracy 2%): bucket {@code i}
 * holds values in (gamma^(i-1), gamma^i] microseconds. Counts of the same bucket add up, so sketches merge by adding
 * counters, which is what lets replicas record into one Redis hash with HINCRBY and no read-modify-write. Any quantile
 * is within 2% of the true value; memory is one counter per occupied bucket (under 600 for 1 µs to 1 hour).
 */
public final class LatencySketch {

    static final double ACCURACY = 0.02;
    static final double GAMMA = (1 + ACCURACY) / (1 - ACCURACY);
    private static final double LOG_GAMMA = Math.log(GAMMA);

    private LatencySketch() {
    }

    /** The bucket of a duration in nanoseconds (durations under 1 µs share bucket 0). */
    public static int bucket(long nanos) {
        double micros = nanos / 1_000.0;
        return micros <= 1 ? 0 : (int) Math.ceil(Math.log(micros) / LOG_GAMMA);
    }

    /** The representative value of a bucket in milliseconds: within 2% of every value in it. */
    public static double millis(int bucket) {
        return bucket == 0 ? 0.001 : 2 * Math.pow(GAMMA, bucket) / (GAMMA + 1) / 1_000.0;
    }

    /**
     * The q-quantile (0 to 1) in milliseconds of the values counted per bucket; null when there are none.
     */
    public static Double quantile(Map<Integer, Long> counts, double q) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (Map.Entry<Integer, Long> e : new TreeMap<>(counts).entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return millis(e.getKey());
            }
        }
        throw new IllegalStateException("unreachable: rank " + rank + " of " + total);
    }
}
