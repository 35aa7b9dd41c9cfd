package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import io.quiver.registry.model.FeatureType;

@Input("FeatureInput")
@Description("A feature of a group being registered")
public record FeatureSpec(
        @Description("Feature name, matching [a-z][a-z0-9_]{0,62}") String name,
        @Description("Type expression: INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), STRING, TIMESTAMP, DATE, BOOLEAN, "
                + "ARRAY<T>, MAP<K,V>, STRUCT<name:T,...>") String type,
        @Description("Semantic kind; inferred from the type when omitted") FeatureType featureType,
        @Description("What the feature means") String description,
        @Description("Whether values may be null; default true") Boolean nullable,
        @Description("Value used when a row has none, as text; must fit the type and constraints") String defaultValue,
        @Description("The only values allowed, as text") List<String> allowedValues,
        @Description("Smallest allowed value (numeric types)") Double min,
        @Description("Largest allowed value (numeric types)") Double max,
        @Description("Unit of measure") String unit,
        @Description("Labels") List<String> tags,
        @Description("Feature-level setting overrides") List<SettingSpec> config,
        @Description("Features this one is computed from: group.feature references") List<String> sourceFeatures,
        @Description("Lake datasets this one is computed from, e.g. silver.transactions") List<String> sourceDatasets,
        @Description("With the group's source: the SQL expression over the source's columns that computes this feature, "
                + "e.g. amount * 0.9 (default: the source's column of the feature's name)") String expression) {

    /** A minimal feature: name and type, everything else defaulted. */
    public static FeatureSpec of(String name, String type) {
        return new FeatureSpec(name, type, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
