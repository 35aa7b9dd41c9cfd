package io.quiver.columnar;

import java.util.stream.Collectors;

import io.quiver.registry.model.FeatureDataType;

/** The DuckDB (and so Parquet and Arrow) type of each Quiver type, and safe spelling of names and text in SQL. */
public final class DuckDbTypes {

    private DuckDbTypes() {
    }

    public static String of(FeatureDataType t) {
        return switch (t.base()) {
            case INT -> "INTEGER";
            case BIGINT -> "BIGINT";
            case FLOAT -> "FLOAT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> "DECIMAL(" + t.precision() + "," + t.scale() + ")";
            case STRING -> "VARCHAR";
            // Instants, stored UTC-adjusted with microsecond precision.
            case TIMESTAMP -> "TIMESTAMPTZ";
            case DATE -> "DATE";
            case BOOLEAN -> "BOOLEAN";
            case ARRAY -> of(t.element()) + "[]";
            case MAP -> "MAP(" + of(t.key()) + ", " + of(t.value()) + ")";
            case STRUCT -> t.fields().stream().map(f -> quote(f.name()) + " " + of(f.type()))
                    .collect(Collectors.joining(", ", "STRUCT(", ")"));
        };
    }

    /** Names reaching SQL have passed {@code Names} validation ([a-z][a-z0-9_]*); quoting keeps keywords safe. */
    public static String quote(String name) {
        if (!name.matches("[a-z][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a valid column name: " + name);
        }
        return "\"" + name + "\"";
    }

    /** Any column name a client sent (uploads may name columns anything): a quoted identifier, quotes doubled. */
    public static String quoteAny(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A SQL string literal (single quotes doubled). */
    public static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A value as JSON answers show it: TIMESTAMPs as ISO-8601 UTC with microseconds, the rest as DuckDB writes it. */
    public static String jsonValue(FeatureDataType type, String column) {
        return type.base() == io.quiver.registry.model.DataType.TIMESTAMP ? "strftime(" + column + ", '%Y-%m-%dT%H:%M:%S.%fZ')" : column;
    }
}
