package io.quiver.api.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** GraphQL JSON values to the plain values the write path takes; numbers stay exact. */
final class JsonRows {

    private JsonRows() {
    }

    static List<Map<String, Object>> toRows(List<JsonObject> rows) {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (JsonObject row : rows) {
            out.add(object(row));
        }
        return out;
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
            case NUMBER -> ((JsonNumber) v).isIntegral() ? ((JsonNumber) v).bigIntegerValue() : ((JsonNumber) v).bigDecimalValue();
            case ARRAY -> ((JsonArray) v).stream().map(JsonRows::value).toList();
            case OBJECT -> object((JsonObject) v);
        };
    }
}
