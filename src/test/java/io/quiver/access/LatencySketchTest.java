package io.quiver.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LatencySketchTest {

    @Test
    void quantilesAreWithinTwoPercentOfTheExactOnes() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            long[] nanos = new long[1 + random.nextInt(5_000)];
            Map<Integer, Long> counts = new HashMap<>();
            for (int i = 0; i < nanos.length; i++) {
                nanos[i] = (long) Math.exp(8 + random.nextGaussian() * 3); // ~3 µs to minutes, log-normal
                counts.merge(LatencySketch.bucket(nanos[i]), 1L, Long::sum);
            }
            Arrays.sort(nanos);
            for (double q : new double[] {0.5, 0.95, 0.99, 1.0}) {
                double exact = Math.max(nanos[(int) Math.ceil(q * nanos.length) - 1], 1_000) / 1e6;
                assertThat(LatencySketch.quantile(counts, q)).as("seed %d, q %s", seed, q).isCloseTo(exact,
                        org.assertj.core.data.Percentage.withPercentage(2.01));
            }
        }
    }

    @Test
    void noValuesHaveNoQuantile() {
        assertThat(LatencySketch.quantile(Map.of(), 0.5)).isNull();
    }

    @Test
    void sketchesMergeByAddingCounts() {
        Map<Integer, Long> a = new HashMap<>(Map.of(LatencySketch.bucket(1_000_000), 99L));
        Map<Integer, Long> b = Map.of(LatencySketch.bucket(100_000_000), 1L);
        b.forEach((k, v) -> a.merge(k, v, Long::sum));
        assertThat(LatencySketch.quantile(a, 0.99)).isCloseTo(1.0, org.assertj.core.data.Percentage.withPercentage(2));
        assertThat(LatencySketch.quantile(a, 1.0)).isCloseTo(100.0, org.assertj.core.data.Percentage.withPercentage(2));
    }
}
