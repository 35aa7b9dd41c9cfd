package io.quiver.offline;

import org.eclipse.microprofile.graphql.Description;

@Description("Statistics of one feature's stored values")
public record FeatureStatistics(
        @Description("Feature name") String name,
        @Description("Rows where the feature is null") long nullCount,
        @Description("Smallest value, as text (scalar types only)") String min,
        @Description("Largest value, as text (scalar types only)") String max) {
}
