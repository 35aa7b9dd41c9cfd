package io.quiver.registry.model;

import org.eclipse.microprofile.graphql.Description;

/** The medallion layer a lake data source belongs to. */
@Description("The medallion layer of a lake data source: BRONZE (raw), SILVER (cleaned), GOLD (aggregated)")
public enum Layer {
    @Description("Raw data as it arrived")
    BRONZE,
    @Description("Cleaned, conformed data")
    SILVER,
    @Description("Aggregated, business-level data")
    GOLD
}
