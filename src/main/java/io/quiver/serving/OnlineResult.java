package io.quiver.serving;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;
import org.eclipse.microprofile.graphql.Name;

/**
 * The answer to an online read, column by column like Feast's: the entity key columns first (in request order), then
 * one column per requested feature, each with a value, a status and an event time per entity.
 */
@Name("OnlineFeatures")
@Description("An online read: one column per entity key and requested feature")
public record OnlineResult(@Description("Entity key columns, then feature columns, in request order") List<Column> columns,
        @Description("About the read") Metadata metadata) {

    /** One output column: an entity key or a feature. */
    @Name("OnlineColumn")
    @Description("One column of an online read: an entity key or a feature, with a value, status and event time per entity")
    public record Column(@Description("Entity key or output feature name") String name,
            @Ignore List<Object> values,
            @Description("How each entity's value was found") List<ValueStatus> statuses,
            @Description("Event time of each entity's value; the epoch for entity keys, null when not found") List<Instant> eventTimestamps) {
    }

    /** How each value was found. */
    @Description("How an online value was found")
    @Name("FeatureValueStatus")
    public enum ValueStatus {
        @Description("The value is there and within the group's TTL")
        PRESENT,
        @Description("The entity has values, but this one is null")
        NULL_VALUE,
        @Description("The entity has no values in this group")
        NOT_FOUND,
        @Description("The entity's latest values are older than the group's TTL; the value is withheld (null)")
        OUTSIDE_MAX_AGE
    }

    /** Where a group's values came from. */
    @Description("Where a group's online values came from")
    @Name("OnlineSource")
    public enum Source {
        @Description("The online store")
        ONLINE,
        @Description("The offline store's current snapshot (the group is offline-only, or the online store is down)")
        OFFLINE,
        @Description("Computed from lake data by the group's query template (a VIRTUALIZED group, or a HYBRID one served so)")
        VIRTUAL
    }

    @Name("OnlineGroupSource")
    @Description("Where one group's values came from")
    public record GroupSource(@Description("Group name") String group, @Description("Group version") int version,
            @Description("ONLINE, OFFLINE or VIRTUAL") Source source,
            @Description("Why OFFLINE or VIRTUAL; null for ONLINE") String reason) {
    }

    @Name("OnlineMetadata")
    @Description("About an online read")
    public record Metadata(
            @Description("Column names: entity keys, then features (group__feature with fullFeatureNames)") List<String> featureNames,
            @Description("Time the service spent on the read, in milliseconds") double servingLatencyMs,
            @Description("True when the online store failed and online-enabled groups were read from the offline store") boolean degraded,
            @Description("Where each group's values came from") List<GroupSource> groups,
            @Description("The feature service read, as name@version; null when the read named none") String featureService) {
    }
}
