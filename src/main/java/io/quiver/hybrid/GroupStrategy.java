package io.quiver.hybrid;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;

import io.quiver.config.Mode;

/** A group version's strategy as the hybrid selector holds it. */
@Description("How a feature group version is served and why: the hybrid selector's decision, an operator's override, the fill of stored data")
public record GroupStrategy(
        @Description("Group name") String group,
        @Description("Group version") int version,
        @Description("The group's mode") Mode mode,
        @Description("Whether the hybrid selector chooses its strategy (HYBRID, with a query template, virtualization enabled)") boolean selectable,
        @Description("How reads are served now") Mode servedAs,
        @Description("The selector's latest decision; null before the first evaluation") Mode decided,
        @Description("When it was made") Instant decidedAt,
        @Description("Why, in a sentence with the numbers") String reason,
        @Description("The cost model's inputs behind the decision") List<StrategyInput> inputs,
        @Description("The strategy an operator forced; null when none") Mode forced,
        @Description("When the override ends by itself; null: until cleared") Instant forcedUntil,
        @Description("The operator's reason") String forcedReason,
        @Description("RUNNING, SUCCEEDED, FAILED or CANCELLED: the latest fill of stored data from the query; null when never filled") String fillState,
        @Description("How long the latest successful fill took, ms (the measured refresh cost)") Long fillMillis,
        @Description("When stored data was last filled") Instant filledAt,
        @Description("When the stored data of a group served VIRTUALIZED is expired; null when none is waiting") Instant storedUntil) {
}
