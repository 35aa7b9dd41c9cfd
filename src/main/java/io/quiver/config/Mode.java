package io.quiver.config;

import org.eclipse.microprofile.graphql.Description;

/** How a feature group is served. */
@Description("How a feature group is served: computed ahead, computed on demand, or chosen per group from measured access")
public enum Mode {
    @Description("Computed ahead: Parquet snapshots in object storage, latest values in the online store")
    MATERIALIZED,
    @Description("Computed on demand by the query executor from lake data by the group's query template; nothing is copied")
    VIRTUALIZED,
    @Description("The hybrid selector picks MATERIALIZED or VIRTUALIZED from access metrics; until it is built, served by the "
            + "query template when the group has one, else from stored data (servedAs says which)")
    HYBRID
}
