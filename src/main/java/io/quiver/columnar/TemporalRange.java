package io.quiver.columnar;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;

/**
 * Refuses an upload whose dates and timestamps (at any depth) lie outside the years 1 to 9999, before anything casts
 * them. DuckDB's casts of coarse timestamps that overflow (a TIMESTAMP_S or TIMESTAMP_MS in year 120,000 BC, a DATE
 * beyond a TIMESTAMP's range) do not fail cleanly: they raise an internal error that invalidates the whole database.
 * So this check compares values only in their own type, with literals of that type.
 */
final class TemporalRange {

    private TemporalRange() {
    }

    /** The literal bounds of a source type, or null when the type is not a date or timestamp that needs the check. */
    private static String[] bounds(String type) {
        return switch (type) {
            case "DATE" -> new String[] {"DATE '0001-01-01'", "DATE '9999-12-31'"};
            case "TIMESTAMP_S" -> new String[] {"TIMESTAMP_S '0001-01-01 00:00:00'", "TIMESTAMP_S '9999-12-31 23:59:59'"};
            case "TIMESTAMP_MS" -> new String[] {"TIMESTAMP_MS '0001-01-01 00:00:00'", "TIMESTAMP_MS '9999-12-31 23:59:59.999'"};
            case "TIMESTAMP" -> new String[] {"TIMESTAMP '0001-01-01 00:00:00'", "TIMESTAMP '9999-12-31 23:59:59.999999'"};
            case "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> new String[] {"TIMESTAMPTZ '0001-01-01 00:00:00+00'",
                    "TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'"};
            default -> null;
        };
    }

    /** A predicate true when some date or timestamp in {@code expr} (of type {@code type}) is out of range, or null. */
    static String outOfRange(String expr, SourceType type) {
        String[] b = bounds(type.name());
        if (b != null) {
            return "(" + expr + " < " + b[0] + " OR " + expr + " > " + b[1] + ")";
        }
        switch (type.name()) {
            case "LIST" -> {
                String inner = outOfRange("x", type.element());
                return inner == null ? null : "len(list_filter(" + expr + ", x -> coalesce(" + inner + ", false))) > 0";
            }
            case "MAP" -> {
                String keys = outOfRange("map_keys(" + expr + ")", SourceType.parse(type.children().get(0) + "[]"));
                String values = outOfRange("map_values(" + expr + ")", SourceType.parse(type.children().get(1) + "[]"));
                return keys == null && values == null ? null : "(" + (keys == null ? "false" : "coalesce(" + keys + ", false)") + " OR "
                        + (values == null ? "false" : "coalesce(" + values + ", false)") + ")";
            }
            case "STRUCT" -> {
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < type.children().size(); i++) {
                    String inner = outOfRange("struct_extract(" + expr + ", " + DuckDbTypes.literal(type.fieldNames().get(i)) + ")",
                            type.children().get(i));
                    if (inner != null) {
                        parts.add("coalesce(" + inner + ", false)");
                    }
                }
                return parts.isEmpty() ? null : "(" + String.join(" OR ", parts) + ")";
            }
            default -> {
                return null;
            }
        }
    }

    /** @throws SchemaValidationException listing the first rows (by the upload's own row number) with such values */
    static void check(Connection connection, StagedUpload upload, String what, boolean write) throws SQLException {
        Violations violations = new Violations();
        try (Statement s = connection.createStatement()) {
            for (StagedUpload.Column c : upload.columns()) {
                String bad = outOfRange(DuckDbTypes.quoteAny(c.name()), c.type());
                if (bad == null) {
                    continue;
                }
                try (ResultSet r = s.executeQuery("SELECT " + StagedUpload.ROW + ", count(*) OVER () FROM " + StagedUpload.VIEW
                        + " WHERE coalesce(" + bad + ", false) ORDER BY " + StagedUpload.ROW + " LIMIT " + Violations.MAX_LISTED)) {
                    List<Violation> first = new ArrayList<>();
                    long total = 0;
                    while (r.next()) {
                        total = r.getLong(2);
                        first.add(new Violation("rows[" + r.getLong(1) + "]." + c.name(), ValidationRule.OUT_OF_RANGE,
                                "holds a date or time outside the years 1 to 9999, which is all Quiver keeps"));
                    }
                    violations.addAll(total, first);
                }
            }
        }
        violations.throwIfAny(what, write);
    }
}
