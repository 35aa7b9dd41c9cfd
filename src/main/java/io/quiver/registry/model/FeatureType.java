package io.quiver.registry.model;

import org.eclipse.microprofile.graphql.Description;

/** Semantic kind of a feature (the seeds' FeatureType); must agree with its data type. */
@Description("Semantic kind of a feature; must agree with its data type")
public enum FeatureType {
    @Description("A quantity: numeric types")
    NUMERICAL,
    @Description("One of a set of labels: STRING, INT, BIGINT or BOOLEAN")
    CATEGORICAL,
    @Description("Free text: STRING")
    TEXT,
    @Description("An embedding: ARRAY of a numeric type")
    VECTOR,
    @Description("Time-indexed values: TIMESTAMP, DATE, ARRAY or MAP")
    TIMESERIES,
    @Description("A nested structure: ARRAY, MAP or STRUCT")
    COMPLEX;

    /** Whether a feature of this kind may hold values of the given type. */
    public boolean accepts(FeatureDataType type) {
        DataType base = type.base();
        return switch (this) {
            case NUMERICAL -> base.isNumeric();
            case CATEGORICAL -> base == DataType.STRING || base == DataType.INT || base == DataType.BIGINT
                    || base == DataType.BOOLEAN;
            case TEXT -> base == DataType.STRING;
            case VECTOR -> base == DataType.ARRAY && type.element().base().isNumeric();
            case TIMESERIES -> base.isTemporal() || base == DataType.ARRAY || base == DataType.MAP;
            case COMPLEX -> base.isNested();
        };
    }

    /** The kind assumed when a definition names none. */
    public static FeatureType inferredFrom(FeatureDataType type) {
        DataType base = type.base();
        if (base.isNumeric()) {
            return NUMERICAL;
        }
        if (base.isTemporal()) {
            return TIMESERIES;
        }
        if (base == DataType.ARRAY && type.element().base().isNumeric()) {
            return VECTOR;
        }
        return base.isNested() ? COMPLEX : CATEGORICAL;
    }
}
