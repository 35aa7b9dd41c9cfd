package io.quiver.registry;

import static java.util.Objects.requireNonNull;

import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.GroupSchema;

/** A feature reference resolved against the registry: the group version that serves it and the feature itself. */
public record ResolvedFeature(FeatureRef reference, GroupSchema schema, Feature feature) {
    public ResolvedFeature {
        requireNonNull(reference, "reference");
        requireNonNull(schema, "schema");
        requireNonNull(feature, "feature");
    }
}
