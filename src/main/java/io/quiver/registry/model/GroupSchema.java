package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A group version with its features: what serving and ingest resolve names against. Immutable, safe to cache. */
public record GroupSchema(FeatureGroup group, List<Feature> features, Map<String, Feature> byName) {

    public GroupSchema {
        requireNonNull(group, "group");
        features = List.copyOf(features);
        byName = Map.copyOf(byName);
    }

    public static GroupSchema of(FeatureGroup group, List<Feature> features) {
        Map<String, Feature> byName = new LinkedHashMap<>();
        features.forEach(f -> byName.put(f.name(), f));
        return new GroupSchema(group, features, byName);
    }

    public Optional<Feature> feature(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
