package io.quiver.ingest;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.quiver.columnar.DuckDbTypes;
import io.quiver.columnar.StagedUpload;
import io.quiver.columnar.UploadChecks;
import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;
import io.quiver.error.Suggestions;
import io.quiver.error.ValidationRule;

/**
 * Checks a staged Arrow or Parquet upload against a group version's schema with the rules of {@link RowValidator}:
 * the columns (unknown ones, missing keys or timestamp, a non-nullable feature without a default missing, types that
 * cannot convert safely), then every value, in DuckDB: keys and timestamp non-null, values that do not convert
 * exactly (out of range, rounded, sub-microsecond), nullability, allowed values, min/max, the backfill range. Any
 * violation rejects the whole upload.
 */
public final class ColumnarValidator {

    private final StagedUpload upload;
    private final GroupSchema schema;
    private final UploadChecks checks;
    /** Stored column -> SQL giving its stored value from the staged view, in storage order. */
    private final Map<String, String> typed = new LinkedHashMap<>();

    private ColumnarValidator(StagedUpload upload, GroupSchema schema) {
        this.upload = upload;
        this.schema = schema;
        this.checks = new UploadChecks(upload);
    }

    /**
     * @param backfillStart with {@code backfillEnd}, the range [start, end) every row's event time must lie in; null
     *        for a plain write
     * @return a SELECT over the staged view giving every stored column in its stored type, in storage order
     * @throws SchemaValidationException listing the violations
     */
    public static String validate(Connection connection, StagedUpload upload, GroupSchema schema, Instant backfillStart,
            Instant backfillEnd) {
        ColumnarValidator v = new ColumnarValidator(upload, schema);
        v.collect(backfillStart, backfillEnd);
        v.checks.throwIfAny(connection, "The upload of " + upload.rows() + " rows");
        return "SELECT " + v.typed.entrySet().stream().map(e -> e.getValue() + " AS " + DuckDbTypes.quote(e.getKey()))
                .collect(Collectors.joining(", ")) + " FROM " + StagedUpload.VIEW;
    }

    private void collect(Instant backfillStart, Instant backfillEnd) {
        FeatureGroup g = schema.group();
        if (upload.rows() == 0) {
            throw new SchemaValidationException("The upload", List.of(new Violation("rows", ValidationRule.EMPTY, "the upload holds no rows; send at least one")));
        }
        Set<String> known = new LinkedHashSet<>();
        g.entityKeys().forEach(k -> known.add(k.name()));
        known.add(g.eventTimestampColumn());
        if (g.createdTimestampColumn() != null) {
            known.add(g.createdTimestampColumn());
        }
        known.addAll(schema.byName().keySet());
        for (StagedUpload.Column c : upload.columns()) {
            if (!known.contains(c.name())) {
                checks.columnViolation(c.name(), ValidationRule.UNKNOWN_COLUMN, "'" + c.name() + "' is not a column of " + g.name() + " version "
                        + g.version() + Suggestions.closest(c.name(), known).map(s -> "; did you mean " + s + "?").orElse(""));
            }
        }
        for (JoinKey k : g.entityKeys()) {
            FeatureDataType type = FeatureDataType.scalar(k.valueType());
            checks.required(k.name(), type, ValidationRule.MISSING_KEY, "entity key").ifPresent(c -> typed.put(k.name(), cast(c, type)));
        }
        FeatureDataType tsType = FeatureDataType.scalar(g.eventTimestampType());
        Optional<String> ts = checks.required(g.eventTimestampColumn(), tsType, ValidationRule.MISSING_TIMESTAMP, "event timestamp");
        ts.ifPresent(c -> typed.put(g.eventTimestampColumn(), cast(c, tsType)));
        if (backfillStart != null && ts.isPresent()) {
            String t = "CAST(" + ts.get() + " AS TIMESTAMPTZ)";
            checks.valueRule(g.eventTimestampColumn(), ValidationRule.OUTSIDE_BACKFILL_RANGE, t + " < " + instant(backfillStart) + " OR " + t
                    + " >= " + instant(backfillEnd), t, "is outside the backfill range [" + backfillStart + ", " + backfillEnd + ")");
        }
        if (g.createdTimestampColumn() != null) {
            FeatureDataType type = FeatureDataType.scalar(g.createdTimestampType());
            typed.put(g.createdTimestampColumn(), checks.convertible(g.createdTimestampColumn(), type).map(c -> cast(c, type))
                    .orElse("CAST(NULL AS " + DuckDbTypes.of(type) + ")"));
        }
        schema.features().forEach(this::feature);
    }

    private void feature(Feature f) {
        FeatureDataType type = f.dataTypeDetail();
        String target = DuckDbTypes.of(type);
        String fallback = f.defaultValue() == null ? "CAST(NULL AS " + target + ")" : literal(type, f.defaultValue());
        if (upload.column(f.name()).isEmpty()) {
            if (f.defaultValue() == null && !f.nullable()) {
                checks.columnViolation(f.name(), ValidationRule.MISSING_COLUMN, "'" + f.name()
                        + "' is not nullable and has no default, so the upload must have this column");
            }
            typed.put(f.name(), fallback);
            return;
        }
        Optional<String> column = checks.convertible(f.name(), type);
        if (column.isEmpty()) {
            return;
        }
        String c = column.get();
        typed.put(f.name(), f.defaultValue() == null ? cast(c, type) : "COALESCE(" + cast(c, type) + ", " + fallback + ")");
        if (f.defaultValue() == null && !f.nullable()) {
            checks.rowRule(f.name(), ValidationRule.NOT_NULLABLE, c + " IS NULL", "'" + f.name() + "' is not nullable and has no default; give a value");
        }
        if (!f.allowedValues().isEmpty()) {
            String allowed = f.allowedValues().stream().map(v -> literal(type, v)).collect(Collectors.joining(", ", "[", "]"));
            checks.valueRule(f.name(), ValidationRule.NOT_ALLOWED, c + " IS NOT NULL AND NOT list_contains(" + allowed + ", TRY_CAST(" + c + " AS "
                    + target + "))", c, "is not one of the allowed values " + f.allowedValues());
        }
        if ((f.min() != null || f.max() != null) && isNumeric(type.base())) {
            List<String> bounds = new ArrayList<>();
            if (f.min() != null) {
                bounds.add("TRY_CAST(" + c + " AS DOUBLE) < " + f.min());
            }
            if (f.max() != null) {
                bounds.add("TRY_CAST(" + c + " AS DOUBLE) > " + f.max());
            }
            checks.valueRule(f.name(), ValidationRule.OUT_OF_RANGE, c + " IS NOT NULL AND (" + String.join(" OR ", bounds) + ")", c,
                    "is outside [" + f.min() + ", " + f.max() + "]");
        }
    }

    private static String cast(String column, FeatureDataType type) {
        return "CAST(" + column + " AS " + DuckDbTypes.of(type) + ")";
    }

    private static boolean isNumeric(DataType t) {
        return t == DataType.INT || t == DataType.BIGINT || t == DataType.FLOAT || t == DataType.DOUBLE || t == DataType.DECIMAL;
    }

    /** A value stored as normalized text in the registry (nested ones as JSON), as a typed SQL expression. */
    static String literal(FeatureDataType type, String text) {
        String target = DuckDbTypes.of(type);
        return switch (type.base()) {
            case ARRAY, MAP, STRUCT -> "CAST(CAST(" + DuckDbTypes.literal(text) + " AS JSON) AS " + target + ")";
            default -> "CAST(" + DuckDbTypes.literal(text) + " AS " + target + ")";
        };
    }

    private static String instant(java.time.Instant t) {
        return "TIMESTAMPTZ " + DuckDbTypes.literal(t.toString());
    }
}
