package io.quiver.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quiver.access.AccessSummary;
import io.quiver.access.LatencySketch;

/** Where the online-read objective's p99s come from. */
class CostInputsTest {

    /** Online reads: {@code virtual} computed ones at {@code virtualMs}, {@code stored} ones at {@code storedMs}. */
    private static AccessSummary online(int virtual, double virtualMs, int stored, double storedMs) {
        Map<String, Long> fields = new HashMap<>();
        fields.put("r.o.V", (long) virtual);
        fields.put("l.o.V." + LatencySketch.bucket((long) (virtualMs * 1e6)), (long) virtual);
        fields.put("r.o.M", (long) stored);
        fields.put("l.o.M." + LatencySketch.bucket((long) (storedMs * 1e6)), (long) stored);
        // a slow point-in-time read computed from the lake is not an online read
        fields.put("r.h.V", 1L);
        fields.put("l.h.V." + LatencySketch.bucket(9_000_000_000L), 1L);
        return AccessSummary.of(fields);
    }

    @Test
    void theLastDaysOnlineReadsGiveTheP99sOnceThereAreEnough() {
        CostModel.Objective o = CostInputs.objective(20, online(10, 40, 10, 1), Map.of("virtualOnlineP99Ms", 99.0), false, 5, 2);
        assertThat(o.p99Ms()).isEqualTo(20);
        assertThat(o.virtualP99Ms()).isCloseTo(40, within(40 * 0.03));
        assertThat(o.virtualFrom()).isEqualTo("measured");
        assertThat(o.storedP99Ms()).isCloseTo(1, within(0.03));
        assertThat(o.storedMeasured()).isTrue();
    }

    @Test
    void tooFewComputedReadsKeepThePreviousDecisionsMeasurement() {
        // stored for a day: its reads are no longer computed, the measurement before it was stored stands
        CostModel.Objective o = CostInputs.objective(20, online(3, 5, 2, 1), Map.of("virtualOnlineP99Ms", 55.0), true, 5, 2);
        assertThat(o.virtualP99Ms()).isEqualTo(55.0);
        assertThat(o.virtualFrom()).isEqualTo("last measured");
        assertThat(o.storedP99Ms()).isEqualTo(2); // the estimate
        assertThat(o.storedMeasured()).isFalse();
        // nothing measured, nothing kept: not known
        CostModel.Objective unknown = CostInputs.objective(20, online(0, 1, 0, 1), Map.of(), false, 5, 2);
        assertThat(unknown.virtualP99Ms()).isNull();
        assertThat(unknown.virtualFrom()).isNull();
    }

    @Test
    void whileStoredTheKeptP99OnlyRises() {
        // stored: the day's last computed reads (before the switch, some answered by the result cache) say 8 ms, the
        // decision that stored it measured 60: 60 stands
        CostModel.Objective stored = CostInputs.objective(20, online(10, 8, 10, 1), Map.of("virtualOnlineP99Ms", 60.0), true, 5, 2);
        assertThat(stored.virtualP99Ms()).isEqualTo(60.0);
        assertThat(stored.virtualFrom()).isEqualTo("last measured");
        // stored, and computed reads (a forced spell) measured more: the new value
        assertThat(CostInputs.objective(20, online(10, 90, 10, 1), Map.of("virtualOnlineP99Ms", 60.0), true, 5, 2).virtualP99Ms())
                .isCloseTo(90, within(90 * 0.03));
        // served from the lake: what was measured now counts, up or down
        CostModel.Objective computed = CostInputs.objective(20, online(10, 8, 0, 1), Map.of("virtualOnlineP99Ms", 60.0), false, 5, 2);
        assertThat(computed.virtualP99Ms()).isCloseTo(8, within(8 * 0.03));
        assertThat(computed.virtualFrom()).isEqualTo("measured");
    }
}
