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

    /**
     * One group version as of one definition: the same row id and update time. Cheaper than comparing every
     * feature (serving keys maps by schema on every request), and two schemas that compare equal here were read from
     * the same registry state.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof GroupSchema other && other.group.id() == group.id()
                && java.util.Objects.equals(other.group.updatedAt(), group.updatedAt()) && other.group.name().equals(group.name());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(group.id());
    }
}
