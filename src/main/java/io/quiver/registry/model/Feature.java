package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.graphql.Description;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.graphql.Ignore;

import io.quiver.config.ConfigKey;

/** A feature of one group version, with its type, constraints and lineage. */
@Description("A feature of one feature group version: its type, constraints, tags and lineage")
public record Feature(
        @Ignore @JsonIgnore long id,
        @Ignore @JsonIgnore long groupId,
        @Description("Name of the group it belongs to") String group,
        @Description("Version of that group") int groupVersion,
        @Description("Feature name") String name,
        @Ignore @JsonIgnore FeatureDataType dataTypeDetail,
        @Description("Semantic kind") FeatureType featureType,
        @Description("What the feature means") String description,
        @Description("Whether values may be null") boolean nullable,
        @Description("Value used when a row has none, as text") String defaultValue,
        @Description("The only values allowed, as text; empty means any") List<String> allowedValues,
        @Description("Smallest allowed value (numeric features)") Double min,
        @Description("Largest allowed value (numeric features)") Double max,
        @Description("Unit of measure, e.g. EUR or days") String unit,
        @Description("Labels for search and filtering") List<String> tags,
        @Ignore Map<ConfigKey, String> configOverrides,
        @Description("Features this one is computed from, as group.feature references") List<String> sourceFeatures,
        @Description("Lake datasets this one is computed from, e.g. silver.transactions") List<String> sourceDatasets) {

    public Feature {
        requireNonNull(group, "group");
        requireNonNull(name, "name");
        requireNonNull(dataTypeDetail, "dataTypeDetail");
        requireNonNull(featureType, "featureType");
        allowedValues = List.copyOf(allowedValues);
        tags = List.copyOf(tags);
        configOverrides = Map.copyOf(configOverrides);
        sourceFeatures = List.copyOf(sourceFeatures);
        sourceDatasets = List.copyOf(sourceDatasets);
    }

    /** Full type expression (JSON views; GraphQL resolves {@code type} itself). */
    @JsonProperty("type")
    public String typeExpression() {
        return dataTypeDetail.toString();
    }

    /** {@code group.feature}: how serving names this feature (it resolves to the group's latest version). */
    public String reference() {
        return group + "." + name;
    }
}
