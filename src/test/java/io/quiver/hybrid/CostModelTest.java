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

    /** A hot group whose refreshes cost more than its reads save (the case above), with an online-read objective. */
    static CostModel.Inputs withObjective(double readsPerHour, CostModel.Objective objective) {
        return new CostModel.Inputs(Mode.VIRTUALIZED, readsPerHour, 20, true, 2, true, 60_000, true, 60, 1.0, true, 100_000, 600, 1, 1_000, 0.2,
                objective);
    }

    @Test
    void anOnlineReadObjectiveMissedOutranksCost() {
        CostModel.Objective missed = new CostModel.Objective(20, 60.0, CostModel.Objective.MEASURED, 3, true);
        CostModel.Decision d = CostModel.decide(withObjective(600, missed));
        assertThat(d.strategy()).isEqualTo(Mode.MATERIALIZED);
        assertThat(d.rule()).isEqualTo(CostModel.Rule.OBJECTIVE);
        assertThat(d.reason()).startsWith("MATERIALIZED: online reads computed from lake data took 60 ms at p99 (measured), more than the "
                + "group's objective of 20 ms (hybrid_online_p99_ms), and stored ones take 3 ms; the objective outranks cost");
        assertThat(d.savedPerHour()).isNegative(); // storing costs more: the objective pays for it
        assertThat(withObjective(600, missed).asMap()).containsEntry("onlineP99ObjectiveMs", 20.0).containsEntry("virtualOnlineP99Ms", 60.0)
                .containsEntry("virtualOnlineP99From", "measured").containsEntry("storedOnlineP99Ms", 3.0);
        // a measurement kept from an earlier decision counts, and says so
        CostModel.Objective kept = new CostModel.Objective(20, 60.0, CostModel.Objective.LAST_MEASURED, 2, false);
        assertThat(CostModel.decide(withObjective(600, kept)).reason()).contains("60 ms at p99 (last measured)").contains("2 ms estimated");
    }

    @Test
    void theObjectiveDecidesNothingWhenMetUnknownUnsetUselessOrTheGroupIsCold() {
        CostModel.Rule byCost = CostModel.decide(withObjective(600, CostModel.Objective.NONE)).rule();
        assertThat(byCost).isEqualTo(CostModel.Rule.CHEAPER);
        // met: 15 ms at p99 against 20
        assertThat(CostModel.decide(withObjective(600, new CostModel.Objective(20, 15.0, CostModel.Objective.MEASURED, 3, true))).rule())
                .isEqualTo(byCost);
        // not known yet: nothing measured and nothing kept
        assertThat(CostModel.decide(withObjective(600, new CostModel.Objective(20, null, null, 3, true))).rule()).isEqualTo(byCost);
        // no objective (0)
        assertThat(CostModel.decide(withObjective(600, new CostModel.Objective(0, 60.0, CostModel.Objective.MEASURED, 3, true))).rule())
                .isEqualTo(byCost);
        // stored reads would be no faster
        assertThat(CostModel.decide(withObjective(600, new CostModel.Objective(20, 60.0, CostModel.Objective.MEASURED, 70, true))).rule())
                .isEqualTo(byCost);
        // cold: below the cold threshold the objective does not make it worth storing
        CostModel.Decision cold = CostModel.decide(withObjective(0.5, new CostModel.Objective(20, 60.0, CostModel.Objective.MEASURED, 3, true)));
        assertThat(cold.strategy()).isEqualTo(Mode.VIRTUALIZED);
        assertThat(cold.rule()).isEqualTo(CostModel.Rule.COLD);
    }
}
