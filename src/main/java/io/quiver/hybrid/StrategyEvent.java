package io.quiver.hybrid;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;

import io.quiver.config.Mode;

/** One entry of a group's strategy history. */
@Description("One change of a hybrid group's strategy: what changed, why (a sentence with the numbers), and the inputs behind it")
public record StrategyEvent(
        @Description("When it happened") Instant at,
        @Description("What happened") Kind kind,
        @Description("The strategy before (served, decided or forced, by kind); null when there was none") Mode from,
        @Description("The strategy after; null when an override was cleared") Mode to,
        @Description("Why, in a sentence with the numbers") String reason,
        @Description("The cost model's inputs at the time, by name") List<StrategyInput> inputs) {

    @Description("What a strategy event records")
    public enum Kind {
        @Description("The selector's decision changed")
        DECIDED,
        @Description("An operator forced a strategy")
        FORCED,
        @Description("An operator cleared the override")
        FORCE_CLEARED,
        @Description("The override reached its end time")
        FORCE_EXPIRED,
        @Description("A fill of stored data from the query started (before a switch to MATERIALIZED, or a refresh)")
        FILL_STARTED,
        @Description("A fill failed; reads stay as they were")
        FILL_FAILED,
        @Description("A fill waiting for a fill thread was cancelled: its group turned VIRTUALIZED meanwhile")
        FILL_CANCELLED,
        @Description("Reads switched to the other strategy")
        SWITCHED,
        @Description("The stored data of a group served VIRTUALIZED was expired after the grace period")
        STORED_EXPIRED
    }
}
