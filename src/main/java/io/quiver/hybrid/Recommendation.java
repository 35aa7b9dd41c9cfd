package io.quiver.hybrid;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;

import io.quiver.config.Mode;

/** What the cost model recommends for a group, and what it would change. */
@Description("The strategy the cost model recommends for a feature group, why, and the expected effect in numbers")
public record Recommendation(
        @Description("Group name") String group,
        @Description("Latest version") int version,
        @Description("The group's mode") Mode mode,
        @Description("How it is served now") Mode current,
        @Description("The recommended strategy") Mode recommended,
        @Description("Whether following it changes anything") boolean change,
        @Description("Why, in a sentence with the numbers") String reason,
        @Description("How to apply it: applyRecommendation for hybrid groups, else the registration change it needs") String howToApply,
        @Description("Mean read time now, ms") double readMsNow,
        @Description("Expected mean read time after, ms") double readMsAfter,
        @Description("Bytes stored now, offline and online") long bytesStoredNow,
        @Description("Expected bytes stored after") long bytesStoredAfter,
        @Description("Compute time per day now, ms: virtual reads, or refreshes and stored reads") double computeMsPerDayNow,
        @Description("Expected compute time per day after, ms") double computeMsPerDayAfter,
        @Description("The cost model's inputs") List<StrategyInput> inputs) {
}
