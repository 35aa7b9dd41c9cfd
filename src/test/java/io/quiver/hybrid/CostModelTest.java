package io.quiver.hybrid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quiver.config.Mode;

/** The decision rules, from numbers alone. */
class CostModelTest {

    /** 1 GiB stored, refreshed hourly in 2 s; virtual reads 50 ms, stored 2 ms; hot at 600/h, cold under 1/h; 20% hysteresis. */
    static CostModel.Inputs inputs(Mode current, double readsPerHour) {
        return new CostModel.Inputs(current, readsPerHour, 50, true, 2, true, 2_000, true, 1, 1.0, true, 100_000, 600, 1, 1_000, 0.2);
    }

    @Test
    void bothStrategiesArePricedInMillisecondsPerHour() {
        CostModel.Inputs in = inputs(Mode.VIRTUALIZED, 100);
        assertThat(CostModel.virtualCost(in)).isEqualTo(5_000); // 100 x 50
        assertThat(CostModel.materializedCost(in)).isEqualTo(3_200); // 100 x 2 + 1 x 2,000 + 1 x 1,000
    }

    @Test
    void aGroupReadLessThanTheColdThresholdIsVirtualized() {
        CostModel.Decision d = CostModel.decide(inputs(Mode.MATERIALIZED, 0.5));
        assertThat(d.strategy()).isEqualTo(Mode.VIRTUALIZED);
        assertThat(d.rule()).isEqualTo(CostModel.Rule.COLD);
        assertThat(d.reason()).startsWith("VIRTUALIZED: cold, 0.5 reads/h is below the cold threshold of 1 reads/h");
    }

    @Test
    void aHotGroupIsMaterializedWhenVirtualReadsAreSlower() {
        CostModel.Decision d = CostModel.decide(inputs(Mode.VIRTUALIZED, 600));
        assertThat(d.strategy()).isEqualTo(Mode.MATERIALIZED);
        assertThat(d.rule()).isEqualTo(CostModel.Rule.HOT);
        assertThat(d.reason()).contains("600 reads/h").contains("50 ms against 2 ms stored");
        // hot, but the virtual read is as fast as a stored one: the costs decide, and storing only adds cost
        CostModel.Inputs fast = new CostModel.Inputs(Mode.VIRTUALIZED, 600, 2, true, 2, true, 2_000, true, 1, 1.0, true, 100, 600, 1, 1_000, 0.2);
        assertThat(CostModel.decide(fast).strategy()).isEqualTo(Mode.VIRTUALIZED);
    }

    @Test
    void aHotGroupWhoseRefreshCostsMoreThanItsReadsSaveStaysVirtual() {
        // 600 reads/h x 20 ms = 12 s/h virtual; refreshing every minute (a 60 s TTL) for 60 s each = 3,600 s/h stored
        CostModel.Inputs in = new CostModel.Inputs(Mode.VIRTUALIZED, 600, 20, true, 2, true, 60_000, true, 60, 1.0, true, 100_000, 600, 1, 1_000, 0.2);
        CostModel.Decision d = CostModel.decide(in);
        assertThat(d.strategy()).isEqualTo(Mode.VIRTUALIZED);
        assertThat(d.rule()).isEqualTo(CostModel.Rule.CHEAPER);
    }

    @Test
    void theCheaperStrategyWinsOnlyByMoreThanTheHysteresis() {
        // 100 reads/h: 5,000 virtual against 3,200 stored, 36% cheaper: switch
        CostModel.Decision d = CostModel.decide(inputs(Mode.VIRTUALIZED, 100));
        assertThat(d.strategy()).isEqualTo(Mode.MATERIALIZED);
        assertThat(d.rule()).isEqualTo(CostModel.Rule.CHEAPER);
        assertThat(d.savedPerHour()).isEqualTo(1_800);
        // 70 reads/h: 3,500 virtual against 3,140 stored, 10% cheaper: not enough to leave VIRTUALIZED ...
        CostModel.Decision kept = CostModel.decide(inputs(Mode.VIRTUALIZED, 70));
        assertThat(kept.strategy()).isEqualTo(Mode.VIRTUALIZED);
        assertThat(kept.rule()).isEqualTo(CostModel.Rule.HYSTERESIS);
        assertThat(kept.reason()).contains("less than the 20% saving a switch needs");
        // ... nor, the other way round, to leave MATERIALIZED at 60 reads/h (3,000 virtual against 3,120 stored)
        assertThat(CostModel.decide(inputs(Mode.MATERIALIZED, 60)).strategy()).isEqualTo(Mode.MATERIALIZED);
        // at 20 reads/h (1,000 against 3,040) virtual is 67% cheaper: it leaves
        assertThat(CostModel.decide(inputs(Mode.MATERIALIZED, 20)).strategy()).isEqualTo(Mode.VIRTUALIZED);
    }

    @Test
    void estimatedInputsAreSaidToBeEstimated() {
        CostModel.Inputs in = new CostModel.Inputs(null, 10, 50, false, 2, false, 50, false, 1, 0.001, false, 10, 600, 1, 1_000, 0.2);
        assertThat(CostModel.decide(in).reason()).contains("50 ms estimated").contains("2 ms estimated");
        assertThat(in.asMap()).containsEntry("virtualReadMeasured", false).containsEntry("readsPerHour", 10.0);
    }
}
