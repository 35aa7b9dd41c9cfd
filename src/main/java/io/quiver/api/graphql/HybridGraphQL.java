package io.quiver.api.graphql;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import io.quiver.access.AccessWindow;
import io.quiver.config.Mode;
import io.quiver.config.QuiverConfig;
import io.quiver.error.InvalidArgumentException;
import io.quiver.hybrid.AccessMetrics;
import io.quiver.hybrid.AccessPoint;
import io.quiver.hybrid.GroupAccessMetrics;
import io.quiver.hybrid.GroupStrategy;
import io.quiver.hybrid.HybridSelector;
import io.quiver.hybrid.Recommendation;
import io.quiver.hybrid.StrategyEvent;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.security.Requires;
import io.quiver.security.Role;

/** GraphQL adapter for access metrics and the hybrid selector. */
@GraphQLApi
@TranslateErrors
public class HybridGraphQL {

    private final RegistryCatalog catalog;
    private final AccessMetrics metrics;
    private final HybridSelector selector;
    private final io.quiver.hybrid.Recommendations recommendations;
    private final int maxPage;
    private final io.quiver.registry.GroupGate gate;

    public HybridGraphQL(RegistryCatalog catalog, AccessMetrics metrics, HybridSelector selector,
            io.quiver.hybrid.Recommendations recommendations, QuiverConfig config, io.quiver.registry.GroupGate gate) {
        this.gate = gate;
        this.recommendations = recommendations;
        this.catalog = catalog;
        this.metrics = metrics;
        this.selector = selector;
        this.maxPage = config.registry().maxPageSize();
    }

    /** A group version the caller may read. */
    private FeatureGroup group(String name, Integer version) {
        gate.check(name, io.quiver.registry.model.GroupAction.READ);
        return catalog.group(name, version == null ? 0 : version).group();
    }

    /** Latest versions the caller may read by name, after the given name, at most {@code first}. */
    private List<FeatureGroup> latest(int first, String after) {
        if (first < 1 || first > maxPage) {
            throw new InvalidArgumentException("first must be between 1 and " + maxPage + ", not " + first);
        }
        java.util.Set<String> readable = gate.readable().orElse(null);
        return catalog.allGroupVersions().stream().filter(FeatureGroup::latest).filter(g -> readable == null || readable.contains(g.name()))
                .filter(g -> after == null || g.name().compareTo(after) > 0)
                .sorted(Comparator.comparing(FeatureGroup::name)).limit(first).toList();
    }

    @Requires(Role.READER)
    @Query("accessMetrics")
    @Description("What was measured of a feature group (all its versions) over a window: reads by path and by strategy served, "
            + "latency percentiles, result cache hit rate, rows and bytes, errors, last access; with what it stores and how fresh it is")
    public @NonNull GroupAccessMetrics accessMetrics(@Description("Group name") @NonNull String group,
            @Description("The window, ending now") @DefaultValue("LAST_HOUR") AccessWindow window) {
        return metrics.of(List.of(group(group, null)), window).get(0);
    }

    @Requires(Role.READER)
    @Query("accessSeries")
    @Description("A feature group's (all versions) access metrics bucket by bucket over a window, oldest first: by minute for "
            + "LAST_HOUR, by hour for LAST_DAY and LAST_WEEK; for charts over time")
    public @NonNull List<@NonNull AccessPoint> accessSeries(@Description("Group name") @NonNull String group,
            @Description("The window, ending now") @DefaultValue("LAST_HOUR") AccessWindow window) {
        return metrics.series(group(group, null).name(), window);
    }

    @Requires(Role.READER)
    @Query("recommendation")
    @Description("The recommendation for one feature group's latest version: as in recommendations")
    public @NonNull Recommendation recommendation(@Description("Group name") @NonNull String group) {
        return recommendations.of(List.of(group(group, null))).get(0);
    }

    @Requires(Role.READER)
    @Query("allAccessMetrics")
    @Description("Access metrics of every feature group, by name (the seeds' get_access_metrics); page with first and after")
    public @NonNull List<@NonNull GroupAccessMetrics> allAccessMetrics(@Description("The window, ending now") @DefaultValue("LAST_HOUR") AccessWindow window,
            @Description("Most groups to return") @DefaultValue("100") int first,
            @Description("Return groups whose name sorts after this one (the last name of the previous page)") String after) {
        return metrics.of(latest(first, after), window);
    }

    @Requires(Role.READER)
    @Query("recommendations")
    @Description("For every feature group (latest versions, any mode), the strategy the cost model recommends, why, and the expected "
            + "effect on read time, bytes stored and compute time per day (the seeds' optimize_strategies)")
    public @NonNull List<@NonNull Recommendation> recommendations(@Description("Most groups to return") @DefaultValue("100") int first,
            @Description("Return groups whose name sorts after this one") String after) {
        return recommendations.of(latest(first, after));
    }

    @Requires(Role.READER)
    @Query("strategyHistory")
    @Description("Every change of a hybrid group version's strategy, newest first: decisions, overrides, fills, switches, with reasons and inputs")
    public @NonNull List<@NonNull StrategyEvent> strategyHistory(@Description("Group name") @NonNull String group,
            @Description("Version; the latest when absent") Integer version, @Description("Most events") @DefaultValue("50") int first) {
        if (first < 1 || first > maxPage) {
            throw new InvalidArgumentException("first must be between 1 and " + maxPage + ", not " + first);
        }
        return selector.history(group(group, version), first);
    }

    @Requires(Role.ADMIN)
    @Mutation("forceStrategy")
    @Description("Overrides the hybrid selector for a group version until a time (or until cleared): reads follow the forced strategy "
            + "(MATERIALIZED once its stored data is filled). Give no strategy to clear the override")
    public @NonNull GroupStrategy forceStrategy(@Description("Group name") @NonNull String group,
            @Description("Version; the latest when absent") Integer version,
            @Description("MATERIALIZED or VIRTUALIZED; null clears the override") Mode strategy,
            @Description("When the override ends by itself; null: until cleared") Instant until,
            @Description("Why (required when forcing): shown on the group and in its history") String reason) {
        return selector.force(group(group, version), strategy, until, reason);
    }

    @Requires(Role.ADMIN)
    @Mutation("evaluateStrategy")
    @Description("Evaluates a hybrid group version's strategy now from its access metrics, instead of waiting for its hybrid_cache_ttl")
    public @NonNull GroupStrategy evaluateStrategy(@Description("Group name") @NonNull String group,
            @Description("Version; the latest when absent") Integer version) {
        return selector.evaluate(group(group, version));
    }

    @Requires(Role.ADMIN)
    @Mutation("applyRecommendation")
    @Description("Applies the recommendation for a hybrid group version now (an override still wins while it lasts); other groups "
            + "get an error saying what change the recommendation needs")
    public @NonNull GroupStrategy applyRecommendation(@Description("Group name") @NonNull String group,
            @Description("Version; the latest when absent") Integer version) {
        return selector.applyRecommendation(group(group, version));
    }

    @Name("strategy")
    @Description("How the group version is served and why: the hybrid selector's decision, an override, the fill of stored data")
    public List<GroupStrategy> groupStrategy(@Source List<FeatureGroup> groups) {
        return groups.stream().map(selector::strategy).toList();
    }
}
