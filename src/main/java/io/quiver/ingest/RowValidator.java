package io.quiver.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;
import io.quiver.json.NumberBounds;
import io.quiver.error.Suggestions;
import io.quiver.registry.validation.ValueChecker;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;

/**
 * Checks a batch of rows (JSON-shaped: numbers, strings, booleans, lists, objects, nulls) against a group
 * version's schema and converts it to typed values. Every row is checked; the first
 * {@value io.quiver.error.Violations#MAX_LISTED} violations are listed with the total count, and a batch with any violation is rejected whole.
 *
 * <p>Conversions: integral numbers widen safely (an INT column takes any integer in range, BIGINT any 64-bit
 * integer, FLOAT/DOUBLE any number that fits, DECIMAL any number or numeric string that fits its precision and
 * scale without rounding); TIMESTAMP takes ISO-8601 text (UTC when no offset) and gives an {@link Instant}; DATE
 * takes ISO dates. Strings are not parsed into numbers and numbers are not turned into strings: a mismatch is a
 * violation. A missing or null feature takes its default value, else must be nullable.
 */
public final class RowValidator {

    private final GroupSchema schema;
    private final Violations violations = new Violations();

    private RowValidator(GroupSchema schema) {
        this.schema = schema;
    }

    /**
     * @return the rows with typed values, each holding every key, timestamp and feature column
     * @throws SchemaValidationException listing the violations when any row breaks a rule
     */
    public static List<Map<String, Object>> validate(GroupSchema schema, List<Map<String, Object>> rows) {
        return new RowValidator(schema).run(rows);
    }

    private List<Map<String, Object>> run(List<Map<String, Object>> rows) {
        if (rows == null || rows.isEmpty()) {
            throw new SchemaValidationException("The batch", List.of(new Violation("rows", ValidationRule.EMPTY, "give at least one row")));
        }
        FeatureGroup g = schema.group();
        Set<String> known = new TreeSet<>();
        g.entityKeys().forEach(k -> known.add(k.name()));
        known.add(g.eventTimestampColumn());
        if (g.createdTimestampColumn() != null) {
            known.add(g.createdTimestampColumn());
        }
        known.addAll(schema.byName().keySet());

        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String at = "rows[" + i + "]";
            Map<String, Object> row = rows.get(i);
            if (row == null) {
                add(at, ValidationRule.REQUIRED, "a row is required here");
                continue;
            }
            Map<String, Object> typed = new LinkedHashMap<>();
            for (String column : row.keySet()) {
                if (!known.contains(column)) {
                    add(at + "." + column, ValidationRule.UNKNOWN_COLUMN, "'" + column + "' is not a column of " + g.name() + " version "
                            + g.version() + Suggestions.closest(column, known).map(c -> "; did you mean " + c + "?").orElse(""));
                }
            }
            for (JoinKey key : g.entityKeys()) {
                typed.put(key.name(), required(at, key.name(), FeatureDataType.scalar(key.valueType()), row, "entity key"));
            }
            typed.put(g.eventTimestampColumn(), required(at, g.eventTimestampColumn(),
                    FeatureDataType.scalar(g.eventTimestampType()), row, "event timestamp"));
            if (g.createdTimestampColumn() != null) {
                Object v = row.get(g.createdTimestampColumn());
                typed.put(g.createdTimestampColumn(), v == null ? null
                        : convert(at + "." + g.createdTimestampColumn(), FeatureDataType.scalar(g.createdTimestampType()), v));
            }
            for (Feature f : schema.features()) {
                typed.put(f.name(), feature(at + "." + f.name(), f, row.get(f.name())));
            }
            out.add(typed);
        }
        violations.throwIfAny("The batch of " + rows.size() + " rows", true);
        return out;
    }

    private Object required(String at, String column, FeatureDataType type, Map<String, Object> row, String what) {
        Object v = row.get(column);
        if (v == null) {
            add(at + "." + column, what.startsWith("entity") ? ValidationRule.MISSING_KEY : ValidationRule.MISSING_TIMESTAMP,
                    "the " + what + " '" + column + "' is required in every row and cannot be null");
            return null;
        }
        return convert(at + "." + column, type, v);
    }

    private Object feature(String path, Feature f, Object value) {
        if (value == null) {
            if (f.defaultValue() != null) {
                return convert(path, f.dataTypeDetail(), defaultAsJson(f));
            }
            if (!f.nullable()) {
                add(path, ValidationRule.NOT_NULLABLE, "'" + f.name() + "' is not nullable and has no default; give a value");
            }
            return null;
        }
        Object typed = convert(path, f.dataTypeDetail(), value);
        if (typed == null) {
            return null;
        }
        if (!f.allowedValues().isEmpty() && !f.allowedValues().contains(canonical(f.dataTypeDetail(), typed))) {
            add(path, ValidationRule.NOT_ALLOWED, "'" + value + "' is not one of the allowed values " + f.allowedValues());
        }
        if (typed instanceof Number n && (f.min() != null && n.doubleValue() < f.min() || f.max() != null && n.doubleValue() > f.max())) {
            add(path, ValidationRule.OUT_OF_RANGE, value + " is outside [" + f.min() + ", " + f.max() + "]");
        }
        return typed;
    }

    /** Defaults are stored as normalized text; nested ones as JSON, scalars as their text. */
    private static Object defaultAsJson(Feature f) {
        FeatureDataType t = f.dataTypeDetail();
        String d = f.defaultValue();
        return switch (t.base()) {
            case INT, BIGINT -> new BigInteger(d);
            case FLOAT, DOUBLE, DECIMAL -> new BigDecimal(d);
            case BOOLEAN -> Boolean.parseBoolean(d);
            case ARRAY, MAP, STRUCT -> JsonValues.parse(d);
            default -> d;
        };
    }

    /** The text form allowed values are stored in, for comparison. */
    private static String canonical(FeatureDataType type, Object typed) {
        return typed instanceof String s ? s : ValueChecker.normalize(type, typed instanceof BigDecimal b ? b.toPlainString() : typed.toString());
    }

    /** Converts one value to its typed form, or records a violation and returns null. */
    private Object convert(String path, FeatureDataType type, Object v) {
        try {
            return switch (type.base()) {
                case INT -> integral(v, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)).intValue();
                case BIGINT -> integral(v, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)).longValue();
                case FLOAT -> {
                    float f = number(v).floatValue();
                    if (Float.isInfinite(f)) {
                        throw new IllegalArgumentException("out of FLOAT range");
                    }
                    yield f;
                }
                case DOUBLE -> {
                    double d = number(v).doubleValue();
                    if (Double.isInfinite(d)) {
                        throw new IllegalArgumentException("out of DOUBLE range");
                    }
                    yield d;
                }
                case DECIMAL -> new BigDecimal(ValueChecker.normalize(type, v instanceof String s ? s : number(v).toPlainString()));
                case STRING -> {
                    if (!(v instanceof String s)) {
                        throw new IllegalArgumentException("expected text");
                    }
                    yield s;
                }
                case BOOLEAN -> {
                    if (!(v instanceof Boolean b)) {
                        throw new IllegalArgumentException("expected true or false");
                    }
                    yield b;
                }
                case TIMESTAMP -> inRange(Instant.parse(ValueChecker.normalize(type, text(v))));
                case DATE -> inRange(LocalDate.parse(text(v)));
                case ARRAY -> {
                    if (!(v instanceof List<?> list)) {
                        throw new IllegalArgumentException("expected a list");
                    }
                    List<Object> out = new ArrayList<>(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        out.add(list.get(i) == null ? null : convert(path + "[" + i + "]", type.element(), list.get(i)));
                    }
                    yield out;
                }
                case MAP -> {
                    Map<Object, Object> out = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : object(v).entrySet()) {
                        String key = String.valueOf(e.getKey());
                        Object k = type.key().base() == DataType.STRING ? key : mapKey(path + "{" + key + "}", type.key(), key);
                        out.put(k, e.getValue() == null ? null : convert(path + "." + key, type.value(), e.getValue()));
                    }
                    yield out;
                }
                case STRUCT -> {
                    Map<?, ?> in = object(v);
                    Map<String, Object> out = new LinkedHashMap<>();
                    for (Object k : in.keySet()) {
                        if (type.fields().stream().noneMatch(f -> f.name().equals(k))) {
                            add(path + "." + k, ValidationRule.UNKNOWN_FIELD, "'" + k + "' is not a field of " + type);
                        }
                    }
                    for (FeatureDataType.StructField f : type.fields()) {
                        Object fv = in.get(f.name());
                        out.put(f.name(), fv == null ? null : convert(path + "." + f.name(), f.type(), fv));
                    }
                    yield out;
                }
            };
        } catch (IllegalArgumentException | ArithmeticException | DateTimeParseException e) {
            add(path, ValidationRule.TYPE, "'" + v + "' is not a valid " + type + " value" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            return null;
        }
    }

    /** JSON object keys are text; integer map keys are parsed from it. */
    private Object mapKey(String path, FeatureDataType type, String key) {
        if (key.length() > 40) {
            add(path, ValidationRule.TYPE, "map key of " + key.length() + " characters is not a valid " + type);
            return null;
        }
        try {
            return convert(path, type, new BigInteger(key.trim()));
        } catch (NumberFormatException e) {
            add(path, ValidationRule.TYPE, "map key '" + key + "' is not a valid " + type);
            return null;
        }
    }

    private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999Z");

    /** Times beyond the years 1..9999 do not survive every store (the registry's timestamps end earlier). */
    private static <T extends Comparable<? super T>> T inRange(T t) {
        Instant at = t instanceof LocalDate d ? d.atStartOfDay().toInstant(java.time.ZoneOffset.UTC) : (Instant) t;
        if (at.isBefore(FIRST) || at.isAfter(LAST)) {
            throw new IllegalArgumentException("outside the years 1 to 9999, which is all Quiver keeps");
        }
        return t;
    }

    private static BigInteger integral(Object v, BigInteger min, BigInteger max) {
        BigDecimal d = number(v);
        if (!NumberBounds.fitsLong(d)) {
            throw new IllegalArgumentException("out of range");
        }
        BigInteger i = d.toBigIntegerExact();
        if (i.compareTo(min) < 0 || i.compareTo(max) > 0) {
            throw new IllegalArgumentException("out of range");
        }
        return i;
    }

    private static BigDecimal number(Object v) {
        BigDecimal n = exactNumber(v);
        if (!NumberBounds.within(n)) {
            throw new IllegalArgumentException("out of range: numbers must lie between 1e-" + NumberBounds.MAX_MAGNITUDE + " and 1e"
                    + NumberBounds.MAX_MAGNITUDE + " in magnitude");
        }
        return n;
    }

    private static BigDecimal exactNumber(Object v) {
        if (v instanceof BigDecimal b) {
            return b;
        }
        if (v instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            return new BigDecimal(v.toString());
        }
        throw new IllegalArgumentException("expected a number");
    }

    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        throw new IllegalArgumentException("expected ISO-8601 text");
    }

    private static Map<?, ?> object(Object v) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw new IllegalArgumentException("expected an object");
    }

    private void add(String path, ValidationRule rule, String message) {
        violations.add(path, rule, message);
    }
}
