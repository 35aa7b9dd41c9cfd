package io.quiver.offline;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;

/** Values of every data type come back exactly as written: write -> Parquet in S3 -> historical retrieval. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class TypeRoundTripTest {

    private static final Map<String, String> TYPES = new LinkedHashMap<>();
    static {
        TYPES.put("i", "INT");
        TYPES.put("b", "BIGINT");
        TYPES.put("f", "FLOAT");
        TYPES.put("d", "DOUBLE");
        TYPES.put("dec", "DECIMAL(38,10)");
        TYPES.put("s", "STRING");
        TYPES.put("t", "TIMESTAMP");
        TYPES.put("day", "DATE");
        TYPES.put("flag", "BOOLEAN");
        TYPES.put("arr", "ARRAY<BIGINT>");
        TYPES.put("m", "MAP<STRING,DOUBLE>");
        TYPES.put("mi", "MAP<INT,STRING>");
        TYPES.put("st", "STRUCT<name:STRING,n:INT,tags:ARRAY<STRING>>");
        TYPES.put("nested", "ARRAY<STRUCT<k:STRING,v:DECIMAL(12,3)>>");
    }

    @Test
    void everyTypeRoundTripsExactly() {
        String e = unique("cust");
        String g = unique("types");
        register(List.of(entity(e, "customer_id", "BIGINT")),
                List.of(group(g, e, TYPES.entrySet().stream().map(t -> feature(t.getKey(), t.getValue())).toList())));

        Map<String, Object> full = new LinkedHashMap<>();
        full.put("customer_id", 1);
        full.put("event_timestamp", "2026-01-01T00:00:00Z");
        full.put("i", -2147483648);
        full.put("b", 9223372036854775807L);
        full.put("f", 0.5);
        full.put("d", 0.1);
        full.put("dec", "1234567890123456789012345678.0123456789");
        full.put("s", "naïve \"quoted\" ✓");
        full.put("t", "2026-01-02T03:04:05.123456Z");
        full.put("day", "2024-02-29");
        full.put("flag", false);
        full.put("arr", List.of(1, -9007199254740993L));
        full.put("m", Map.of("a", 1.25));
        full.put("mi", Map.of("7", "seven"));
        full.put("st", Map.of("name", "x", "n", 3, "tags", List.of("p", "q")));
        full.put("nested", List.of(Map.of("k", "a", "v", "1.500")));
        Map<String, Object> empty = new LinkedHashMap<>();
        empty.put("customer_id", 2);
        empty.put("event_timestamp", "2026-01-01T00:00:00Z");

        Map<String, Object> vars = new HashMap<>();
        vars.put("g", g);
        vars.put("rows", List.of(full, empty));
        ok("mutation($g: String!, $rows: [JSON!]!) { write(group: $g, rows: $rows) { rowsWritten } }", vars);

        Map<String, Object> q = new HashMap<>();
        q.put("f", TYPES.keySet().stream().map(k -> g + "." + k).toList());
        q.put("rows", List.of(Map.of("customer_id", 1, "event_timestamp", "2026-02-01T00:00:00Z"),
                Map.of("customer_id", 2, "event_timestamp", "2026-02-01T00:00:00Z")));
        String query = "query($f: [String!]!, $rows: [JSON!]!) { historicalFeatures(features: $f, entityRows: $rows) }";
        JsonPath json = ok(query, q);
        // The raw text: JsonPath reads numbers as floats, which would hide any loss of precision here.
        String body = io.quiver.support.GraphQL.post(query, q).extract().asString();

        Map<String, Object> back = json.getMap("data.historicalFeatures[0]");
        assertThat(back.get("i")).isEqualTo(-2147483648);
        assertThat(body).contains("9223372036854775807").contains("-9007199254740993")
                .contains("1234567890123456789012345678.0123456789");
        assertThat(back.get("f").toString()).isEqualTo("0.5");
        assertThat(back.get("d").toString()).isEqualTo("0.1");
        assertThat(back.get("s")).isEqualTo("naïve \"quoted\" ✓");
        assertThat(back.get("t")).isEqualTo("2026-01-02T03:04:05.123456Z");
        assertThat(back.get("day")).isEqualTo("2024-02-29");
        assertThat(back.get("flag")).isEqualTo(false);
        assertThat(back.get("m")).isEqualTo(Map.of("a", 1.25f));
        assertThat(back.get("mi")).isEqualTo(Map.of("7", "seven"));
        assertThat(back.get("st")).isEqualTo(Map.of("name", "x", "n", 3, "tags", List.of("p", "q")));
        assertThat(body).contains("\"nested\":[{\"k\":\"a\",\"v\":1.5}]"); // same DECIMAL value; trailing zeros are not kept
        Map<String, Object> nulls = json.getMap("data.historicalFeatures[1]");
        TYPES.keySet().forEach(k -> assertThat(nulls).containsEntry(k, null));
    }

    /** The same values through the bulk REST endpoints: Arrow in, Parquet files in S3, Arrow and Parquet out. */
    @Test
    void everyTypeRoundTripsExactlyThroughArrowAndParquet() {
        String e = unique("cust");
        String g = unique("types_rest");
        register(List.of(entity(e, "customer_id", "BIGINT")),
                List.of(group(g, e, TYPES.entrySet().stream().map(t -> feature(t.getKey(), t.getValue())).toList())));
        String values = "SELECT (-2147483648)::INTEGER AS i, 9223372036854775807::BIGINT AS b, 0.5::FLOAT AS f, 0.1::DOUBLE AS d, "
                + "'1234567890123456789012345678.0123456789'::DECIMAL(38,10) AS dec, 'naïve \"quoted\" ✓' AS s, "
                + "TIMESTAMPTZ '2026-01-02 03:04:05.123456+00' AS t, DATE '2024-02-29' AS day, false AS flag, "
                + "[1, -9007199254740993]::BIGINT[] AS arr, MAP {'a': 1.25::DOUBLE} AS m, MAP {7::INTEGER: 'seven'} AS mi, "
                + "{'name': 'x', 'n': 3::INTEGER, 'tags': ['p', 'q']} AS st, [{'k': 'a', 'v': 1.5::DECIMAL(12,3)}] AS nested";
        String nulls = TYPES.keySet().stream().map(k -> "NULL AS " + k).collect(Collectors.joining(", "));
        byte[] upload = Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, * FROM ("
                + values + ") UNION ALL BY NAME SELECT 2::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, " + nulls);
        BulkRest.write(g, Columnar.ARROW, upload, null).log().ifValidationFails().statusCode(200);

        String features = "features=" + String.join(",", TYPES.keySet().stream().map(k -> g + "." + k).toList());
        byte[] entities = Columnar.arrow("SELECT * FROM (VALUES (1::BIGINT), (2)) t(customer_id), "
                + "(SELECT TIMESTAMPTZ '2026-02-01' AS event_timestamp)");
        Map<String, String> expected = Columnar.query(values).get(0);
        for (String format : List.of(Columnar.ARROW, Columnar.PARQUET)) {
            byte[] answer = BulkRest.historical(Columnar.ARROW, format, entities, features)
                    .statusCode(200).extract().asByteArray();
            List<Map<String, String>> rows = format.equals(Columnar.ARROW)
                    ? Columnar.readArrowAsText(answer) : Columnar.readParquet(answer);
            for (String k : TYPES.keySet()) {
                assertThat(rows.get(0).get(k)).as("%s via %s", k, format).isEqualTo(expected.get(k));
                assertThat(rows.get(1).get(k)).as("null %s via %s", k, format).isNull();
            }
        }
        assertThat(expected.get("dec")).isEqualTo("1234567890123456789012345678.0123456789");
        assertThat(expected.get("t")).isEqualTo("2026-01-02 03:04:05.123456+00");
    }
}
