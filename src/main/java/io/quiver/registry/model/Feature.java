package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.graphql.Description;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.eclipse.microprofile.graphql.Ignore;


/** A feature of one group version, with its type, constraints and lineage. */
@Description("A feature of one feature group version: its type, constraints, tags and lineage")
public record Feature(
        @Ignore @JsonIgnore long id,
        @Ignore @JsonIgnore long groupId,
        @Description("Name of the group it belongs to") String group,
        @Description("Version of that group") int groupVersion,
        @Description("Feature name") String name,
        @Ignore @JsonIgnore FeatureDataType dataTypeDetail,
        @Description("Base data type") DataType dataType,
        @Description("Full type expression, e.g. DECIMAL(12,2), ARRAY<FLOAT>, MAP<STRING,DOUBLE>") String type,
        @Description("group.feature: how serving names this feature; it resolves to the latest version of the group")
        String reference,
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
        @Description("Lake datasets this one is computed from, e.g. silver.transactions") List<String> sourceDatasets,
        @Description("For a virtual group defined by per-feature expressions: the SQL expression computing this feature") String expression) {

    public Feature {
        requireNonNull(group, "group");
        requireNonNull(name, "name");
        requireNonNull(dataTypeDetail, "dataTypeDetail");
        if (dataType != dataTypeDetail.base() || !dataTypeDetail.toString().equals(type)
                || !(group + "." + name).equals(reference)) {
            throw new IllegalArgumentException("derived fields disagree with the type or name; use the shorter constructor");
        }
        requireNonNull(featureType, "featureType");
        allowedValues = List.copyOf(allowedValues);
        tags = List.copyOf(tags);
        configOverrides = Map.copyOf(configOverrides);
        sourceFeatures = List.copyOf(sourceFeatures);
        sourceDatasets = List.copyOf(sourceDatasets);
    }

    /** The usual constructor: the type's base, its expression and the reference are derived. */
    public Feature(long id, long groupId, String group, int groupVersion, String name, FeatureDataType dataTypeDetail,
            FeatureType featureType, String description, boolean nullable, String defaultValue, List<String> allowedValues,
            Double min, Double max, String unit, List<String> tags, Map<ConfigKey, String> configOverrides,
            List<String> sourceFeatures, List<String> sourceDatasets, String expression) {
        this(id, groupId, group, groupVersion, name, dataTypeDetail, dataTypeDetail.base(), dataTypeDetail.toString(),
                group + "." + name, featureType, description, nullable, defaultValue, allowedValues, min, max, unit, tags,
                configOverrides, sourceFeatures, sourceDatasets, expression);
    }
}
