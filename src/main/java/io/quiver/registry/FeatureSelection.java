package io.quiver.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quiver.error.InvalidArgumentException;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.EntityKeys;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.GroupSchema;

/**
 * What a read asks for, resolved once for every read path (online, historical): the features of each group version
 * in request order with their output names ({@code feature}, or {@code group__feature} with full names), every
 * output name, and the join keys an entity needs for them (groups sharing a key name must agree on its type).
 */
public record FeatureSelection(List<GroupFeatures> groups, Set<String> outputs, Map<String, DataType> keyTypes) {

    /** The features of one group version asked for, with their output names. */
    public record GroupFeatures(GroupSchema schema, List<Feature> features, List<String> names) {
    }

    public FeatureSelection {
        groups = List.copyOf(groups);
    }

    /** The group versions asked for, in request order. */
    public List<GroupSchema> schemas() {
        return groups.stream().map(GroupFeatures::schema).toList();
    }

    /**
     * @throws InvalidArgumentException when no feature is named or two would share an output name
     * @throws io.quiver.error.FeatureNotFoundException for a reference that resolves to nothing
     */
    public static FeatureSelection resolve(FeatureResolver resolver, List<String> references, boolean fullFeatureNames) {
        if (references == null || references.isEmpty()) {
            throw new InvalidArgumentException("name at least one feature, e.g. features: [\"customer_profile.age\"]");
        }
        Map<GroupSchema, GroupFeatures> groups = new LinkedHashMap<>();
        Set<String> outputs = new LinkedHashSet<>();
        for (String reference : references) {
            ResolvedFeature r = resolver.resolve(reference);
            String name = fullFeatureNames ? r.feature().group() + "__" + r.feature().name() : r.feature().name();
            if (!outputs.add(name)) {
                throw new InvalidArgumentException("two requested features would both be named '" + name + "'"
                        + (fullFeatureNames ? "; each feature may be requested once" : "; set fullFeatureNames: true"));
            }
            GroupFeatures g = groups.computeIfAbsent(r.schema(), s -> new GroupFeatures(s, new ArrayList<>(), new ArrayList<>()));
            g.features().add(r.feature());
            g.names().add(name);
        }
        return new FeatureSelection(new ArrayList<>(groups.values()), outputs, EntityKeys.keyTypes(groups.keySet()));
    }
}
