package io.quiver.registry;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;
import io.quiver.registry.model.ConfigLayer;

/** One resolved setting with the layer it came from. */
@Description("One resolved setting and the layer it came from")
public record EffectiveSetting(
        @Description("Setting name as in the seeds, e.g. hybrid_threshold_rows") String key,
        @Description("Resolved value") String value,
        @Description("Layer that supplied the value") ConfigLayer source,
        @Description("How the value is applied when its name alone does not say (mode HYBRID: chosen by the hybrid "
                + "selector, or from stored data without a query template); null when the value takes effect as it says") String note) {

    public EffectiveSetting {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        requireNonNull(source, "source");
    }
}
