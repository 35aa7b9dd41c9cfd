package io.quiver.columnar;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureDataType;

/**
 * Which uploaded column types may feed which Quiver types: the same safe widening the JSON write path allows.
 * Integers of any width feed INT, BIGINT, DECIMAL, FLOAT and DOUBLE; decimals and floating point feed DECIMAL, FLOAT
 * and DOUBLE; timestamps of any unit or zone (naive ones are UTC) and dates feed TIMESTAMP; strings feed only STRING
 * and no string is parsed into a number or time. Nested types convert element by element; a STRUCT may leave out
 * fields (they become null) but not bring unknown ones. Whether each value fits (range, scale, nanoseconds) is
 * checked per value by the validator: a column type being accepted here does not make every value safe.
 */
public final class Conversions {

    private static final Set<String> INTEGERS = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT");
    private static final Set<String> FRACTIONAL = Set.of("FLOAT", "DOUBLE", "DECIMAL");
    private static final Set<String> TIMESTAMPS = Set.of("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ",
            "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "DATE");

    private Conversions() {
    }

    /** Why a column of type {@code source} cannot hold {@code target} values, or empty when it can. */
    public static Optional<String> incompatibility(FeatureDataType target, SourceType source) {
        String s = source.name();
        boolean ok = switch (target.base()) {
            case INT, BIGINT -> INTEGERS.contains(s);
            case FLOAT, DOUBLE, DECIMAL -> INTEGERS.contains(s) || FRACTIONAL.contains(s);
            case STRING -> s.equals("VARCHAR") || s.equals("ENUM");
            case TIMESTAMP -> TIMESTAMPS.contains(s);
            case DATE -> s.equals("DATE");
            case BOOLEAN -> s.equals("BOOLEAN");
            case ARRAY -> source.isList();
            case MAP -> s.equals("MAP");
            case STRUCT -> s.equals("STRUCT");
        };
        if (!ok) {
            return Optional.of(source + " cannot hold " + target + " values" + hint(target));
        }
        return switch (target.base()) {
            case ARRAY -> incompatibility(target.element(), source.element()).map(r -> "element: " + r);
            case MAP -> incompatibility(target.key(), source.children().get(0)).map(r -> "map key: " + r)
                    .or(() -> incompatibility(target.value(), source.children().get(1)).map(r -> "map value: " + r));
            case STRUCT -> struct(target, source);
            default -> Optional.empty();
        };
    }

    private static Optional<String> struct(FeatureDataType target, SourceType source) {
        Set<String> known = new HashSet<>();
        target.fields().forEach(f -> known.add(f.name()));
        for (int i = 0; i < source.children().size(); i++) {
            String name = source.fieldNames().get(i);
            Optional<FeatureDataType.StructField> field = target.fields().stream().filter(f -> f.name().equals(name)).findFirst();
            if (field.isEmpty()) {
                return Optional.of("struct field '" + name + "' is not one of " + known);
            }
            Optional<String> problem = incompatibility(field.get().type(), source.children().get(i));
            if (problem.isPresent()) {
                return Optional.of("struct field '" + name + "': " + problem.get());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether values need a per-value check that the conversion kept them exactly: false when the source type is
     * the stored type itself, or when the target is floating point (approximate by nature; only its range is
     * checked, see {@link #mayOverflowFloat}).
     */
    public static boolean needsExactnessCheck(FeatureDataType target, SourceType source) {
        return !DuckDbTypes.of(target).equals(normalized(source)) && !hasFloatingPoint(target);
    }

    /** Whether a FLOAT target may receive values beyond its range (from DOUBLE, DECIMAL or wide integers). */
    public static boolean mayOverflowFloat(FeatureDataType target, SourceType source) {
        return target.base() == DataType.FLOAT && !source.name().equals("FLOAT");
    }

    private static boolean hasFloatingPoint(FeatureDataType t) {
        return switch (t.base()) {
            case FLOAT, DOUBLE -> true;
            case ARRAY -> hasFloatingPoint(t.element());
            case MAP -> hasFloatingPoint(t.key()) || hasFloatingPoint(t.value());
            case STRUCT -> t.fields().stream().anyMatch(f -> hasFloatingPoint(f.type()));
            default -> false;
        };
    }

    /** DuckDB's spelling of a type, as {@link DuckDbTypes#of} writes it, for comparing. */
    private static String normalized(SourceType t) {
        return switch (t.name()) {
            case "LIST" -> normalized(t.element()) + "[]";
            case "MAP" -> "MAP(" + normalized(t.children().get(0)) + ", " + normalized(t.children().get(1)) + ")";
            case "STRUCT" -> "STRUCT(" + String.join(", ", structFields(t)) + ")";
            case "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMPTZ";
            case "DECIMAL" -> "DECIMAL(" + t.params().get(0) + "," + t.params().get(1) + ")";
            default -> t.name();
        };
    }

    private static List<String> structFields(SourceType t) {
        return java.util.stream.IntStream.range(0, t.children().size())
                .mapToObj(i -> "\"" + t.fieldNames().get(i) + "\" " + normalized(t.children().get(i))).toList();
    }

    private static String hint(FeatureDataType target) {
        return switch (target.base()) {
            case INT, BIGINT -> "; send an integer column (Arrow int8 to int64, uint8 to uint64)";
            case FLOAT, DOUBLE, DECIMAL -> "; send a numeric column (integer, decimal or floating point); text is not parsed into numbers";
            case STRING -> "; send a string column (Arrow utf8); numbers are not turned into text";
            case TIMESTAMP -> "; send an Arrow timestamp (any unit; without a time zone it is read as UTC) or date column";
            case DATE -> "; send an Arrow date32 or date64 column";
            case BOOLEAN -> "; send a boolean column";
            case ARRAY -> "; send a list column";
            case MAP -> "; send a map column";
            case STRUCT -> "; send a struct column";
        };
    }
}
