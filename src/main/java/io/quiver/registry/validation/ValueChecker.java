package io.quiver.registry.validation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.quiver.registry.model.FeatureDataType;
import io.quiver.json.JsonPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks that a value written as text (a default or an allowed value) fits a data type, and normalizes it so that
 * equal values compare equal (e.g. {@code 1.50} and {@code 1.5} as DOUBLE). Nested types take JSON text.
 */
public final class ValueChecker {

    private ValueChecker() {
    }

    /** @throws IllegalArgumentException with a user-facing message when the value does not fit */
    public static String normalize(FeatureDataType type, String text) {
        String v = text.trim();
        try {
            return switch (type.base()) {
                case INT -> Integer.toString(Integer.parseInt(v));
                case BIGINT -> Long.toString(Long.parseLong(v));
                case FLOAT -> finite(Float.parseFloat(v), v) ? Float.toString(Float.parseFloat(v)) : fail(type, v);
                case DOUBLE -> finite(Double.parseDouble(v), v) ? Double.toString(Double.parseDouble(v)) : fail(type, v);
                case DECIMAL -> decimal(type, v);
                case STRING -> text;
                case BOOLEAN -> bool(type, v);
                case DATE -> LocalDate.parse(v).toString();
                case TIMESTAMP -> timestamp(v).toString();
                case ARRAY -> json(type, v, JsonNode::isArray);
                case MAP, STRUCT -> json(type, v, JsonNode::isObject);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return fail(type, v);
        }
    }

    /** The numeric value of a normalized numeric text, for range checks. */
    public static double numeric(String normalized) {
        return new BigDecimal(normalized).doubleValue();
    }

    private static boolean finite(double d, String v) {
        return !Double.isNaN(d) && !Double.isInfinite(d) && !v.isEmpty();
    }

    private static String decimal(FeatureDataType type, String v) {
        BigDecimal d = new BigDecimal(v).stripTrailingZeros();
        int scale = Math.max(d.scale(), 0);
        int integerDigits = d.precision() - d.scale();
        if (scale > type.scale() || integerDigits > type.precision() - type.scale()) {
            throw new IllegalArgumentException("'" + v + "' does not fit " + type);
        }
        return d.toPlainString();
    }

    private static String bool(FeatureDataType type, String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return lower;
        }
        return fail(type, v);
    }

    /** Timestamps are instants: an offset or Z is honoured; a value without one is taken as UTC. */
    static Instant timestamp(String v) {
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
        }
    }

    private static String json(FeatureDataType type, String v, java.util.function.Predicate<JsonNode> shape) {
        try {
            JsonNode node = JsonPolicy.shared().readTree(v);
            if (node != null && shape.test(node)) {
                return JsonPolicy.shared().writeValueAsString(node);
            }
        } catch (JsonProcessingException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + v + "' is not a JSON " + (type.base().name().equals("ARRAY") ? "array" : "object")
                + " as " + type + " values are written");
    }

    private static String fail(FeatureDataType type, String v) {
        throw new IllegalArgumentException("'" + v + "' is not a valid " + type + " value");
    }
}
