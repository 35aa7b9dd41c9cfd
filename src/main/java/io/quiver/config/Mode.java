package io.quiver.config;

import org.eclipse.microprofile.graphql.Description;

/** How a feature group is served. */
@Description("How a feature group is served: computed ahead, computed on demand, or chosen per group from measured access")
public enum Mode {
    @Description("Computed ahead: Parquet snapshots in object storage, latest values in the online store")
    MATERIALIZED,
    @Description("Computed on demand by the query executor from lake data by the group's query template; nothing is copied")
    VIRTUALIZED,
    @Description("The hybrid selector serves it MATERIALIZED or VIRTUALIZED, whichever its access metrics make cheaper "
            + "(needs a query template; without one it is served from stored data)")
    HYBRID
}
