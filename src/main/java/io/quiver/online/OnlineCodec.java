package io.quiver.online;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.quiver.columnar.DuckDbTypes;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.json.JsonText;
import io.quiver.json.JsonPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * How a group version's latest values are kept online: one table per group version ({@code <group>:<version>:<id>}),
 * one record per entity keyed by {@link io.quiver.registry.model.EntityKeys}, the values as one JSON object (feature name
 * to value, every feature of the version; TIMESTAMPs as ISO-8601 UTC with microseconds, DECIMALs exact). JSON keeps
 * records readable with redis-cli and independent of feature order; a version's new nullable feature simply reads
 * as null in older records.
 */
public final class OnlineCodec {

    private OnlineCodec() {
    }

    /**
     * {@code <group>:<version>:<row id>}: the row id keeps a version number that is reused after a deletion from
     * ever reading the deleted version's records.
     */
    public static String table(FeatureGroup g) {
        return table(g.name(), g.version(), g.id());
    }

    /**
     * {@code <table>:s<snapshot id>}: the records one fill of a hybrid group loaded, read instead of the group's own
     * table once the fill succeeded (see {@link OnlineTables}). Entity keys start with {@code [}, so a generation's
     * records never share a prefix with the table's own; dropping the table drops its generations too.
     */
    public static String generation(FeatureGroup g, long snapshotId) {
        return table(g) + ":s" + snapshotId;
    }

    public static String table(String group, int version, long id) {
        return group + ":" + version + ":" + id;
    }

    /** DuckDB expression giving a row's record payload from its feature columns. */
    public static String payloadSql(List<Feature> features) {
        if (features.isEmpty()) {
            return "'{}'";
        }
        return features.stream().map(f -> DuckDbTypes.literal(f.name()) + ": " + (f.dataTypeDetail().base() == DataType.TIMESTAMP
                ? "strftime(" + DuckDbTypes.quote(f.name()) + ", '%Y-%m-%dT%H:%M:%S.%fZ')" : DuckDbTypes.quote(f.name())))
                .collect(Collectors.joining(", ", "to_json({", "})"));
    }

    /**
     * The requested features' values of a payload, by feature name, read in one pass: numbers as their JSON text
     * ({@link JsonText}, exact), text, booleans, nested values as lists and maps; other fields are
     * skipped without being parsed. A feature missing from the payload (added to the
     * version after the record was written) is absent from the map.
     */
    public static Map<String, Object> decode(String payload, Map<String, FeatureDataType> wanted) {
        Map<String, Object> out = new HashMap<>(wanted.size() * 2);
        try (JsonParser p = JsonPolicy.shared().getFactory().createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("an online record's payload is not a JSON object: " + payload);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                FeatureDataType type = wanted.get(p.currentName());
                JsonToken token = p.nextToken();
                if (type == null) {
                    p.skipChildren();
                    continue;
                }
                out.put(p.currentName(), value(p, token, type));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("an online record holds invalid JSON: " + payload, e);
        }
    }

    private static Object value(JsonParser p, JsonToken token, FeatureDataType type) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        return switch (type.base()) {
            // numbers pass through as their stored text: exact, and no parsing and printing per value
            case DECIMAL, FLOAT, DOUBLE, INT, BIGINT -> token.isNumeric() ? new JsonText(p.getText()) : p.getText();
            case BOOLEAN -> p.getBooleanValue();
            case STRING, TIMESTAMP, DATE -> p.getText();
            case ARRAY, MAP, STRUCT -> JsonPolicy.shared().readValue(p, Object.class);
        };
    }
}
