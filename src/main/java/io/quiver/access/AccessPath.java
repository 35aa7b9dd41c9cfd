package io.quiver.access;

import org.eclipse.microprofile.graphql.Description;

/** Where a group was accessed. */
@Description("Where a feature group was accessed")
public enum AccessPath {
    @Description("Online reads (onlineFeatures, /get-online-features): the latest values of a few entities")
    ONLINE,
    @Description("Point-in-time reads (historicalFeatures, training sets)")
    HISTORICAL,
    @Description("Point-in-time reads run on the Spark Connect server (training sets routed there by query_executor_type and size)")
    HISTORICAL_SPARK,
    @Description("Reads of the group as a virtual table (queryVirtualTable)")
    VIRTUAL_TABLE,
    @Description("Writes (write mutation, bulk uploads)")
    WRITE;

    /** The short name used in counter fields. */
    String field() {
        return switch (this) {
            case ONLINE -> "o";
            case HISTORICAL -> "h";
            case HISTORICAL_SPARK -> "s";
            case VIRTUAL_TABLE -> "t";
            case WRITE -> "w";
        };
    }
}
