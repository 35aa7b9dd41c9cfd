package io.quiver.virtual;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/**
 * Spark SQL's spelling of the DuckDB types Quiver stores (a source's registered columns, a group's data file layout)
 * and back: TIMESTAMPTZ is Spark's TIMESTAMP (an instant, shown in the session's UTC), TIMESTAMP is TIMESTAMP_NTZ,
 * {@code X[]} is {@code ARRAY<X>}, and so on. Pure logic.
 */
final class SparkTypes {

    private static final Pattern FIELD = Pattern.compile("\\s*(?:\"((?:[^\"]|\"\")*)\"|([A-Za-z_][A-Za-z0-9_]*))\\s+(.+)", Pattern.DOTALL);
    private static final Pattern DECIMAL = Pattern.compile("(?:DECIMAL|NUMERIC)\\s*\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

    private SparkTypes() {
    }

    /** The Spark type of a DuckDB type. */
    static String toSpark(String duckdb) {
        String t = duckdb.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("[]")) {
            return "ARRAY<" + toSpark(t.substring(0, t.length() - 2)) + ">";
        }
        Matcher d = DECIMAL.matcher(t);
        if (d.matches()) {
            return "DECIMAL(" + d.group(1) + "," + d.group(2) + ")";
        }
        if (t.startsWith("MAP(") && t.endsWith(")")) {
            List<String> parts = pair(t.substring(4, t.length() - 1));
            return "MAP<" + toSpark(parts.get(0)) + "," + toSpark(parts.get(1)) + ">";
        }
        if (t.startsWith("STRUCT(") && t.endsWith(")")) {
            // field names keep their case: read them from the original spelling, "name" TYPE, ...
            List<String> out = new ArrayList<>();
            for (String field : split(duckdb.strip().substring(7, duckdb.strip().length() - 1))) {
                Matcher f = FIELD.matcher(field);
                if (!f.matches()) {
                    throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the struct field '" + field + "' has no name and type");
                }
                String name = f.group(1) != null ? f.group(1).replace("\"\"", "\"") : f.group(2);
                out.add("`" + name.replace("`", "``") + "`: " + toSpark(f.group(3)));
            }
            return "STRUCT<" + String.join(", ", out) + ">";
        }
        return switch (t) {
            case "BIGINT", "INT8", "LONG" -> "BIGINT";
            case "INTEGER", "INT", "INT4", "SIGNED" -> "INT";
            case "SMALLINT", "INT2", "SHORT" -> "SMALLINT";
            case "TINYINT", "INT1" -> "TINYINT";
            case "DOUBLE", "FLOAT8" -> "DOUBLE";
            case "FLOAT", "FLOAT4", "REAL" -> "FLOAT";
            case "VARCHAR", "TEXT", "STRING", "CHAR", "BPCHAR" -> "STRING";
            case "BOOLEAN", "BOOL", "LOGICAL" -> "BOOLEAN";
            case "DATE" -> "DATE";
            case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE" -> "TIMESTAMP";
            case "TIMESTAMP", "DATETIME", "TIMESTAMP_US" -> "TIMESTAMP_NTZ";
            case "BLOB", "BYTEA", "BINARY", "VARBINARY" -> "BINARY";
            default -> throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the type " + duckdb + " has no Spark counterpart "
                    + "here; use a scalar, DECIMAL, array or map type, or run the group on DuckDB");
        };
    }

    /** The DuckDB type of a Spark type as {@code DataType.sql()} spells it (how {@code describe} reports columns). */
    static String toDuckDb(String spark) {
        String t = spark.strip().toUpperCase(Locale.ROOT);
        if (t.startsWith("ARRAY<") && t.endsWith(">")) {
            return toDuckDb(t.substring(6, t.length() - 1)) + "[]";
        }
        if (t.startsWith("MAP<") && t.endsWith(">")) {
            List<String> parts = pair(t.substring(4, t.length() - 1));
            return "MAP(" + toDuckDb(parts.get(0)) + ", " + toDuckDb(parts.get(1)) + ")";
        }
        if (t.startsWith("DECIMAL")) {
            return t.replace(" ", "");
        }
        return switch (t) {
            case "BIGINT" -> "BIGINT";
            case "INT" -> "INTEGER";
            case "SMALLINT" -> "SMALLINT";
            case "TINYINT" -> "TINYINT";
            case "DOUBLE" -> "DOUBLE";
            case "FLOAT" -> "FLOAT";
            case "STRING", "VOID" -> "VARCHAR";
            case "BOOLEAN" -> "BOOLEAN";
            case "DATE" -> "DATE";
            case "TIMESTAMP", "TIMESTAMP_LTZ" -> "TIMESTAMP WITH TIME ZONE";
            case "TIMESTAMP_NTZ" -> "TIMESTAMP";
            case "BINARY" -> "BLOB";
            default -> t.startsWith("VARCHAR") || t.startsWith("CHAR") ? "VARCHAR" : t;
        };
    }

    /** Whether values of this DuckDB type can cross to Spark and back exactly. */
    static boolean carries(String duckdb) {
        try {
            toSpark(duckdb);
            return true;
        } catch (QuiverException e) {
            return false;
        }
    }

    /** A map's key and value types. */
    private static List<String> pair(String inner) {
        List<String> parts = split(inner);
        if (parts.size() != 2) {
            throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the map type (" + inner + ") needs a key and a value type");
        }
        return parts;
    }

    /** Splits {@code a, b} at top-level commas (nested types keep theirs). */
    private static List<String> split(String inner) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '(' || c == '<') {
                depth++;
            } else if (c == ')' || c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(inner.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(inner.substring(start).strip());
        return parts;
    }
}
