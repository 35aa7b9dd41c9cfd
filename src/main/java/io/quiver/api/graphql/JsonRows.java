package io.quiver.api.graphql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import io.quiver.error.InvalidArgumentException;
import io.quiver.json.JsonText;

/** GraphQL JSON values to and from the plain values the services take; numbers stay exact. */
final class JsonRows {

    /**
     * Looked up once: {@code jakarta.json.Json}'s static methods look the provider up (a ServiceLoader scan of the
     * class path) on every call, which profiling showed as the main cost of GraphQL answers with many values.
     */
    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonRows() {
    }

    /**
     * @param what how an error names the list, e.g. "rows"
     * @throws InvalidArgumentException when an element is not a JSON object (the JSON scalar takes any JSON value)
     */
    static List<Map<String, Object>> toRows(List<? extends JsonValue> rows, String what) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Object row = rows.get(i);
            if (!(row instanceof JsonObject o)) {
                throw new InvalidArgumentException(what + "[" + i + "] must be a JSON object (column name to value), not "
                        + (row instanceof JsonValue v ? v.getValueType().name().toLowerCase(java.util.Locale.ROOT) : "that"));
            }
            out.add(object(o));
        }
        return out;
    }

    /** JSON values as plain ones (numbers exact, text, booleans, lists, maps, nulls). */
    static List<Object> toValues(List<? extends JsonValue> values) {
        List<Object> out = new ArrayList<>(values.size());
        values.forEach(v -> out.add(value(v)));
        return out;
    }

    /** The other way: plain values (numbers, text, booleans, lists, maps, nulls) as JSON objects. */
    static List<JsonObject> toJson(List<Map<String, Object>> rows) {
        List<JsonObject> out = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            out.add((JsonObject) json(row));
        }
        return out;
    }

    /** Plain values as one JSON array. */
    static JsonArray toJsonArray(List<Object> values) {
        return (JsonArray) json(values);
    }

    private static JsonValue json(Object v) {
        if (v == null) {
            return JsonValue.NULL;
        }
        if (v instanceof JsonText t) {
            return new TextNumber(t.text());
        }
        if (v instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (v instanceof BigDecimal d) {
            return JSON.createValue(d);
        }
        if (v instanceof BigInteger i) {
            return JSON.createValue(i);
        }
        if (v instanceof Number n) {
            return JSON.createValue(new BigDecimal(n.toString()));
        }
        if (v instanceof Map<?, ?> m) {
            JsonObjectBuilder b = JSON.createObjectBuilder();
            m.forEach((k, val) -> b.add(String.valueOf(k), json(val)));
            return b.build();
        }
        if (v instanceof List<?> l) {
            JsonArrayBuilder b = JSON.createArrayBuilder();
            l.forEach(val -> b.add(json(val)));
            return b.build();
        }
        return JSON.createValue(v.toString());
    }

    /** The number exact: an integer as a BigInteger, else a BigDecimal; out-of-range numbers are refused before either is made. */
    private static Object number(JsonNumber n) {
        java.math.BigDecimal d = n.bigDecimalValue();
        String bad = io.quiver.api.http.JsonLimits.check(d);
        if (bad != null) {
            throw new InvalidArgumentException(bad);
        }
        return n.isIntegral() ? d.toBigIntegerExact() : d;
    }

    private static Map<String, Object> object(JsonObject o) {
        Map<String, Object> out = new LinkedHashMap<>();
        o.forEach((k, v) -> out.put(k, value(v)));
        return out;
    }

    private static Object value(JsonValue v) {
        return switch (v.getValueType()) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case STRING -> ((JsonString) v).getString();
            case NUMBER -> number((JsonNumber) v);
            case ARRAY -> ((JsonArray) v).stream().map(JsonRows::value).toList();
            case OBJECT -> object((JsonObject) v);
        };
    }
}
