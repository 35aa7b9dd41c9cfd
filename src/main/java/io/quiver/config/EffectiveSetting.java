package io.quiver.config;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;

/** One resolved setting with the layer it came from. */
@Description("One resolved setting and the layer it came from")
public record EffectiveSetting(
        @Description("Setting name as in the seeds, e.g. hybrid_threshold_rows") String key,
        @Description("Resolved value") String value,
        @Description("Layer that supplied the value") ConfigLayer source) {

    public EffectiveSetting {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
        requireNonNull(source, "source");
    }
}
