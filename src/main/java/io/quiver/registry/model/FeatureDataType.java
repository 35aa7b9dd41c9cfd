package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A full data type: the base {@link DataType} plus its parameters, written as a type expression such as
 * {@code DOUBLE}, {@code DECIMAL(12,2)}, {@code ARRAY<FLOAT>}, {@code MAP<STRING,BIGINT>} or
 * {@code STRUCT<city:STRING,zip:INT>}. {@link #toString()} gives the canonical expression, which is what the
 * registry stores and compares. Parse with {@link TypeExpressionParser}.
 */
public record FeatureDataType(DataType base, int precision, int scale, FeatureDataType element,
        FeatureDataType key, FeatureDataType value, List<StructField> fields) {

    public static final int MAX_DECIMAL_PRECISION = 38;
    public static final int DEFAULT_DECIMAL_PRECISION = 18;
    public static final int DEFAULT_DECIMAL_SCALE = 3;

    /** A named member of a STRUCT. */
    public record StructField(String name, FeatureDataType type) {
        public StructField {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
        }
    }

    public FeatureDataType {
        requireNonNull(base, "base");
        fields = fields == null ? List.of() : List.copyOf(fields);
        boolean shapeOk = switch (base) {
            case ARRAY -> element != null && key == null && value == null && fields.isEmpty();
            case MAP -> element == null && key != null && value != null && fields.isEmpty();
            case STRUCT -> element == null && key == null && value == null && !fields.isEmpty();
            default -> element == null && key == null && value == null && fields.isEmpty();
        };
        if (!shapeOk) {
            throw new IllegalArgumentException("inconsistent parameters for " + base);
        }
        if (base == DataType.DECIMAL && (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0
                || scale > precision)) {
            throw new IllegalArgumentException("DECIMAL needs 1 <= precision <= 38 and 0 <= scale <= precision");
        }
    }

    public static FeatureDataType scalar(DataType base) {
        if (base == DataType.DECIMAL) {
            return decimal(DEFAULT_DECIMAL_PRECISION, DEFAULT_DECIMAL_SCALE);
        }
        return new FeatureDataType(base, 0, 0, null, null, null, List.of());
    }

    public static FeatureDataType decimal(int precision, int scale) {
        return new FeatureDataType(DataType.DECIMAL, precision, scale, null, null, null, List.of());
    }

    public static FeatureDataType array(FeatureDataType element) {
        return new FeatureDataType(DataType.ARRAY, 0, 0, element, null, null, List.of());
    }

    public static FeatureDataType map(FeatureDataType key, FeatureDataType value) {
        return new FeatureDataType(DataType.MAP, 0, 0, null, key, value, List.of());
    }

    public static FeatureDataType struct(List<StructField> fields) {
        return new FeatureDataType(DataType.STRUCT, 0, 0, null, null, null, fields);
    }

    public static FeatureDataType parse(String expression) {
        return TypeExpressionParser.parse(expression);
    }

    @Override
    public String toString() {
        return switch (base) {
            case DECIMAL -> "DECIMAL(" + precision + "," + scale + ")";
            case ARRAY -> "ARRAY<" + element + ">";
            case MAP -> "MAP<" + key + "," + value + ">";
            case STRUCT -> fields.stream().map(f -> f.name() + ":" + f.type())
                    .collect(Collectors.joining(",", "STRUCT<", ">"));
            default -> base.name();
        };
    }
}
