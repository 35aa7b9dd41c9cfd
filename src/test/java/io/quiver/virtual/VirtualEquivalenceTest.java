package io.quiver.virtual;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The property: the same randomized rows served by a MATERIALIZED group (written through the bulk endpoint, online
 * through Redis) and by a VIRTUALIZED group (the same rows as lake files, read by {@code SELECT * FROM} its source)
 * give identical answers from every API: onlineFeatures, Feast's /get-online-features, historicalFeatures and the
 * Arrow training-set endpoint. Ties on event time are decided by a created time, so both orders are determined.
 * A few seeds, fixed ({@code -DequivalenceSeed=N} replays another).
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class VirtualEquivalenceTest {

    @Inject
    ObjectStore objects;

    @Test
    void storedAndVirtualGroupsAnswerAlike() {
        long base = Long.getLong("equivalenceSeed", 20261205L);
        for (int round = 0; round < 3; round++) {
            compare(new Random(base + round));
        }
    }

    private void compare(Random random) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int customers = 15 + random.nextInt(20);
        int rows = 100 + random.nextInt(300);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            long customer = 1 + random.nextInt(customers);
            long eventSecondsAgo = random.nextInt(6 * 86400); // within six days: some within the TTL of three, some not
            if (random.nextInt(5) == 0 && i > 0) {
                eventSecondsAgo = 86400L * random.nextInt(3); // on the dot: ties on event time, decided by created time
            }
            String v = random.nextInt(8) == 0 ? "NULL" : String.valueOf(random.nextInt(100000) / 100.0);
            String label = random.nextInt(8) == 0 ? "NULL" : "'l" + random.nextInt(5) + "'";
            lines.add("(" + customer + ", " + eventSecondsAgo + ", " + i + ", " + v + ", " + label + ")");
        }
        String values = String.join(", ", lines);
        String select = "SELECT c AS customer_id, TIMESTAMPTZ '" + now + "' - to_seconds(ago) AS ts, TIMESTAMPTZ '2026-01-01 00:00:00+00' "
                + "+ to_seconds(n) AS created, CAST(v AS DOUBLE) AS v, CAST(label AS VARCHAR) AS label FROM (VALUES " + values
                + ") t(c, ago, n, v, label)";
        String half1 = select + " WHERE n % 2 = 0";
        String half2 = select + " WHERE n % 2 = 1";

        String entity = unique("eqc");
        String stored = unique("eqs");
        String virtual = unique("eqv");
        String source = unique("eqsrc");
        String lake = "lake/" + source + "/";
        objects.put(lake + "a.parquet", Columnar.parquet(half1));
        objects.put(lake + "b.parquet", Columnar.parquet(half2));
        ok(VirtualFeaturesTest.REGISTER_SOURCE, Map.of("s", Map.of("name", source, "layer", "SILVER", "location", lake, "format", "PARQUET")));
        List<Map<String, Object>> features = List.of(feature("v", "DOUBLE"), feature("label", "STRING"));
        Map<String, Object> common = Map.of("eventTimestampColumn", "ts", "createdTimestampColumn", "created", "ttlSeconds", 3 * 86400);
        Map<String, Object> s = new LinkedHashMap<>(group(stored, entity, features));
        s.putAll(common);
        Map<String, Object> vg = new LinkedHashMap<>(group(virtual, entity, features));
        vg.putAll(common);
        vg.put("mode", "VIRTUALIZED");
        vg.put("queryTemplate", "SELECT * FROM {{silver." + source + "}}");
        register(List.of(entity(entity, "customer_id", "BIGINT")), List.of(s, vg));
        BulkRest.write(stored, Columnar.ARROW, Columnar.arrow(half1), null).statusCode(200);
        BulkRest.write(stored, Columnar.ARROW, Columnar.arrow(half2), null).statusCode(200);

        List<Map<String, Object>> entities = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            entities.add(Map.of("customer_id", 1 + random.nextInt(customers + 3))); // a few unknown ones
        }
        // GraphQL online reads
        String online = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { columns { name values statuses eventTimestamps } } }";
        JsonPath a = ok(online, Map.of("f", List.of(stored + ".v", stored + ".label"), "e", entities));
        JsonPath b = ok(online, Map.of("f", List.of(virtual + ".v", virtual + ".label"), "e", entities));
        assertThat(b.<Object>getList("data.onlineFeatures.columns")).isEqualTo(a.getList("data.onlineFeatures.columns"));
        assertThat(a.<String>getList("data.onlineFeatures.columns[1].statuses")).contains("PRESENT");

        // Feast's HTTP shape
        Map<String, Object> feast = Map.of("entities", Map.of("customer_id", entities.stream().map(e -> e.get("customer_id")).toList()));
        String fa = given().contentType("application/json").body(with(feast, "features", List.of(stored + ":v", stored + ":label")))
                .post("/get-online-features").then().statusCode(200).extract().jsonPath().prettify();
        String fb = given().contentType("application/json").body(with(feast, "features", List.of(virtual + ":v", virtual + ":label")))
                .post("/get-online-features").then().statusCode(200).extract().jsonPath().getList("results").toString();
        assertThat(fb).isEqualTo(JsonPath.from(fa).getList("results").toString());

        // point-in-time, GraphQL
        List<Map<String, Object>> entityRows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            entityRows.add(Map.of("customer_id", 1 + random.nextInt(customers + 3), "event_timestamp",
                    now.minusSeconds(random.nextInt(7 * 86400)).toString()));
        }
        entityRows.add(Map.of("customer_id", 1, "event_timestamp", now.minusSeconds(86400).toString())); // on a tie's dot
        String historical = "query($f: [String!]!, $e: [JSON!]!) { historicalFeatures(features: $f, entityRows: $e) }";
        List<Map<String, Object>> ha = ok(historical, Map.of("f", List.of(stored + ".v", stored + ".label"), "e", entityRows))
                .getList("data.historicalFeatures");
        List<Map<String, Object>> hb = ok(historical, Map.of("f", List.of(virtual + ".v", virtual + ".label"), "e", entityRows))
                .getList("data.historicalFeatures");
        assertThat(hb).isEqualTo(ha);
        assertThat(ha).anyMatch(r -> r.get("v") != null);

        // point-in-time, Arrow in and out
        String table = entityRows.stream().map(r -> "(" + r.get("customer_id") + ", TIMESTAMPTZ '" + r.get("event_timestamp") + "')")
                .collect(Collectors.joining(", ", "SELECT c::BIGINT AS customer_id, ts AS event_timestamp FROM (VALUES ", ") t(c, ts)"));
        byte[] body = Columnar.arrow(table);
        List<Map<String, String>> ra = Columnar.readArrowAsText(BulkRest.historical(Columnar.ARROW, Columnar.ARROW, body,
                "features=" + stored + ".v&features=" + stored + ".label").statusCode(200).extract().asByteArray());
        List<Map<String, String>> rb = Columnar.readArrowAsText(BulkRest.historical(Columnar.ARROW, Columnar.ARROW, body,
                "features=" + virtual + ".v&features=" + virtual + ".label").statusCode(200).extract().asByteArray());
        assertThat(rb).isEqualTo(ra);
    }
}
