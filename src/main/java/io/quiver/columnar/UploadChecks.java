package io.quiver.columnar;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.error.Violation;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;
import io.quiver.error.SchemaValidationException;

/**
 * Collects the rules a staged upload must meet and checks them all in DuckDB: column-level violations
 * ({@code columns.name}) as they are found, per-value rules ({@code rows[i].column}) counted in one scan, the
 * failing rows of each listed afterwards. {@link #throwIfAny} rejects the upload with the first
 * {@value Violations#MAX_LISTED} violations (by row) and the total.
 */
public final class UploadChecks {

    /** One per-value rule: the rows where {@code condition} holds break it; {@code value} is shown in the message. */
    private record Check(String column, ValidationRule rule, String condition, String value, String message) {
    }

    private final StagedUpload upload;
    private final List<Violation> columnViolations = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();

    public UploadChecks(StagedUpload upload) {
        this.upload = upload;
    }

    public void columnViolation(String column, ValidationRule rule, String message) {
        columnViolations.add(new Violation("columns." + column, rule, message));
    }

    /** Rows where {@code condition} holds break the rule; the message follows the offending value. */
    public void valueRule(String column, ValidationRule rule, String condition, String valueSql, String message) {
        checks.add(new Check(column, rule, condition, valueSql, message));
    }

    /** Rows where {@code condition} holds break the rule; the message stands alone (e.g. for nulls). */
    public void rowRule(String column, ValidationRule rule, String condition, String message) {
        checks.add(new Check(column, rule, condition, null, message));
    }

    /**
     * A column that must be present, hold {@code type} values and never be null.
     *
     * @return the quoted column, or empty when it is missing or of the wrong type (recorded)
     */
    public Optional<String> required(String name, FeatureDataType type, ValidationRule rule, String what) {
        if (upload.column(name).isEmpty()) {
            columnViolation(name, rule, "the " + what + " column '" + name + "' is missing; every row needs it");
            return Optional.empty();
        }
        Optional<String> c = convertible(name, type);
        c.ifPresent(col -> rowRule(name, rule, col + " IS NULL", "the " + what + " '" + name + "' is required in every row and cannot be null"));
        return c;
    }

    /**
     * The quoted column when the upload has it and its type converts safely to {@code type}, adding the per-value
     * conversion checks; empty (with a recorded violation if the type is wrong) otherwise.
     */
    public Optional<String> convertible(String name, FeatureDataType type) {
        Optional<StagedUpload.Column> column = upload.column(name);
        if (column.isEmpty()) {
            return Optional.empty();
        }
        StagedUpload.Column col = column.get();
        Optional<String> problem = Conversions.incompatibility(type, col.type());
        if (problem.isPresent()) {
            columnViolation(name, ValidationRule.TYPE, "column '" + name + "' is " + col.duckDbType() + " in the upload: " + problem.get());
            return Optional.empty();
        }
        String c = DuckDbTypes.quoteAny(name);
        String target = DuckDbTypes.of(type);
        if (Conversions.needsExactnessCheck(type, col.type())) {
            valueRule(name, ValidationRule.TYPE, c + " IS NOT NULL AND TRY_CAST(TRY_CAST(" + c + " AS " + target + ") AS " + col.duckDbType()
                    + ") IS DISTINCT FROM " + c, c, "does not fit " + type + " exactly (out of range, or more precise than " + type + " keeps)");
        } else if (Conversions.mayOverflowFloat(type, col.type())) {
            valueRule(name, ValidationRule.TYPE, c + " IS NOT NULL AND TRY_CAST(" + c + " AS FLOAT) IS NULL", c, "is outside FLOAT's range");
        }
        if (type.base() == DataType.TIMESTAMP || type.base() == DataType.DATE) {
            String v = "TRY_CAST(" + c + " AS " + target + ")";
            String low = type.base() == DataType.DATE ? "DATE '0001-01-01'" : "TIMESTAMPTZ '0001-01-01 00:00:00+00'";
            String high = type.base() == DataType.DATE ? "DATE '9999-12-31'" : "TIMESTAMPTZ '9999-12-31 23:59:59.999999+00'";
            valueRule(name, ValidationRule.OUT_OF_RANGE, c + " IS NOT NULL AND (" + v + " < " + low + " OR " + v + " > " + high + ")", c,
                    "is outside the years 1 to 9999, which is all Quiver keeps");
        }
        if ((type.base() == DataType.FLOAT || type.base() == DataType.DOUBLE)
                && (col.type().name().equals("FLOAT") || col.type().name().equals("DOUBLE"))) {
            // JSON (the GraphQL write path, online records) has no NaN or infinity; neither does a feature value here
            valueRule(name, ValidationRule.TYPE, c + " IS NOT NULL AND (isnan(" + c + ") OR isinf(" + c + "))", c,
                    "is not a finite number; send null for a missing value");
        }
        return Optional.of(c);
    }

    /** Runs the per-value rules and throws when anything, column or value, broke a rule. */
    public void throwIfAny(Connection connection, String what) {
        throwIfAny(connection, what, true);
    }

    /** @param write whether the upload was data to store (the message then says nothing was written) */
    public void throwIfAny(Connection connection, String what, boolean write) {
        Violations violations = new Violations();
        columnViolations.forEach(violations::add);
        checkValues(connection, violations);
        violations.throwIfAny(what, write);
    }

    private void checkValues(Connection connection, Violations violations) {
        if (checks.isEmpty()) {
            return;
        }
        record Found(long row, int check, Violation violation) {
        }
        long total = 0;
        List<Found> found = new ArrayList<>();
        String counts = checks.stream().map(c -> "count_if(" + c.condition() + ")").collect(Collectors.joining(", "));
        try (Statement s = connection.createStatement()) {
            long[] failing = new long[checks.size()];
            try (ResultSet r = s.executeQuery("SELECT " + counts + " FROM " + StagedUpload.VIEW)) {
                r.next();
                for (int i = 0; i < checks.size(); i++) {
                    failing[i] = r.getLong(i + 1);
                    total += failing[i];
                }
            }
            for (int i = 0; i < checks.size(); i++) {
                if (failing[i] == 0) {
                    continue;
                }
                Check check = checks.get(i);
                String value = check.value() == null ? "NULL" : "CAST(" + check.value() + " AS VARCHAR)";
                try (ResultSet r = s.executeQuery("SELECT " + StagedUpload.ROW + ", " + value + " FROM " + StagedUpload.VIEW
                        + " WHERE " + check.condition() + " ORDER BY " + StagedUpload.ROW + " LIMIT " + Violations.MAX_LISTED)) {
                    while (r.next()) {
                        long row = r.getLong(1);
                        String message = check.value() == null ? check.message() : "'" + r.getString(2) + "' " + check.message();
                        found.add(new Found(row, i, new Violation("rows[" + row + "]." + check.column(), check.rule(), message)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.INTERNAL_ERROR, "could not check the upload in the query engine; nothing was written, "
                    + "retry, or report it with the request id", e);
        }
        found.sort(Comparator.comparingLong(Found::row).thenComparingInt(Found::check));
        violations.addAll(total, found.stream().map(Found::violation).toList());
    }
}
