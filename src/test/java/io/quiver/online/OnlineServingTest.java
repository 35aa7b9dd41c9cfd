package io.quiver.online;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.registry.RegistryCatalog;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.Race;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** Online reads through GraphQL and the Feast-shaped REST endpoint, fed by write-through, on real Redis. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class OnlineServingTest {

    static final String WRITE = """
            mutation($g: String!, $rows: [JSON!]!) {
              write(group: $g, rows: $rows) { rowsWritten online { status entities error } }
            }""";

    static final String READ = """
            query($f: [String!]!, $e: [JSON!]!, $full: Boolean) {
              onlineFeatures(features: $f, entities: $e, fullFeatureNames: $full) {
                columns { name values statuses eventTimestamps }
                metadata { featureNames servingLatencyMs degraded groups { group version source reason } }
              }
            }""";

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Inject
    OnlineStore store;

    @Inject
    RegistryCatalog catalog;

    private String driver;
    private String stats;

    @BeforeEach
    void registerGroups() {
        driver = unique("driver");
        stats = unique("dstats");
        register(List.of(entity(driver, "driver_id", "BIGINT")), List.of(with(group(stats, driver, List.of(
                feature("conv_rate", "DOUBLE"), feature("acc_rate", "DOUBLE"), feature("avg_daily_trips", "INT"),
                feature("city", "STRING"), feature("seen", "TIMESTAMP"), feature("price", "DECIMAL(10,2)"))),
                "ttlSeconds", 86_400)));
    }

    static JsonPath write(String group, List<Map<String, Object>> rows) {
        return ok(WRITE, Map.of("g", group, "rows", rows));
    }

    static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private JsonPath read(List<String> features, List<Map<String, Object>> entities, boolean full) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("f", features);
        vars.put("e", entities);
        vars.put("full", full);
        return ok(READ, vars);
    }

    @Test
    void writtenValuesAreServedOnlineWithStatusesAndEventTimes() {
        JsonPath written = write(stats, List.of(
                row("driver_id", 1001, "event_timestamp", NOW.minusSeconds(60).toString(), "conv_rate", 0.5, "acc_rate", 0.9,
                        "avg_daily_trips", 12, "city", "Lyon", "seen", "2026-01-01T10:00:00.123456Z", "price", "12.50"),
                row("driver_id", 1002, "event_timestamp", NOW.minusSeconds(3 * 86_400).toString(), "conv_rate", 0.7),
                row("driver_id", 1003, "event_timestamp", NOW.minusSeconds(30).toString(), "acc_rate", 0.1)));
        assertThat(written.getString("data.write.online.status")).isEqualTo("UPDATED");
        assertThat(written.getLong("data.write.online.entities")).isEqualTo(3);

        JsonPath r = read(List.of(stats + ".conv_rate", stats + ":city", stats + ".seen", stats + ".price"),
                List.of(Map.of("driver_id", 1001), Map.of("driver_id", 1002), Map.of("driver_id", 1003), Map.of("driver_id", 4242)), false);

        String c = "data.onlineFeatures.columns";
        assertThat(r.getList(c + ".name")).containsExactly("driver_id", "conv_rate", "city", "seen", "price");
        assertThat(r.getList("data.onlineFeatures.metadata.featureNames")).containsExactly("driver_id", "conv_rate", "city", "seen", "price");
        assertThat(r.getList(c + "[0].values")).containsExactly(1001, 1002, 1003, 4242);
        assertThat(r.getList(c + "[1].values", Float.class)).containsExactly(0.5f, null, null, null);
        assertThat(r.getList(c + "[1].statuses")).containsExactly("PRESENT", "OUTSIDE_MAX_AGE", "NULL_VALUE", "NOT_FOUND");
        assertThat(r.getList(c + "[1].eventTimestamps").get(0).toString()).startsWith(NOW.minusSeconds(60).toString().substring(0, 19));
        assertThat(r.getList(c + "[1].eventTimestamps").get(3)).isNull();
        assertThat(r.getList(c + "[2].values")).containsExactly("Lyon", null, null, null);
        assertThat(r.getList(c + "[3].values")).containsExactly("2026-01-01T10:00:00.123456Z", null, null, null);
        assertThat(r.getList(c + "[4].values").get(0).toString()).isEqualTo("12.5");
        assertThat(r.getBoolean("data.onlineFeatures.metadata.degraded")).isFalse();
        assertThat(r.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");
        assertThat(r.getDouble("data.onlineFeatures.metadata.servingLatencyMs")).isPositive();
    }

    @Test
    void anOlderOrReplayedWriteNeverReplacesANewerValue() throws Exception {
        write(stats, List.of(row("driver_id", 7, "event_timestamp", NOW.minusSeconds(10).toString(), "conv_rate", 0.3)));
        JsonPath older = write(stats, List.of(row("driver_id", 7, "event_timestamp", NOW.minusSeconds(20).toString(), "conv_rate", 0.9)));
        assertThat(older.getLong("data.write.online.entities")).isZero();
        assertThat(read(List.of(stats + ".conv_rate"), List.of(Map.of("driver_id", 7)), false)
                .getList("data.onlineFeatures.columns[1].values", Float.class)).containsExactly(0.3f);

        // concurrent writers with interleaved event times: the newest event wins
        List<Callable<String>> writers = new ArrayList<>();
        for (int w = 1; w <= 6; w++) {
            int minutes = w;
            writers.add(() -> write(stats, List.of(row("driver_id", 8, "event_timestamp", NOW.minusSeconds(600 - minutes * 60L).toString(),
                    "conv_rate", minutes / 10.0))).getString("data.write.online.status"));
        }
        assertThat(Race.run(writers)).containsOnly("UPDATED");
        assertThat(read(List.of(stats + ".conv_rate"), List.of(Map.of("driver_id", 8)), false)
                .getList("data.onlineFeatures.columns[1].values", Float.class)).containsExactly(0.6f);
    }

    @Test
    void ofTwoEqualRowsInOneWriteTheLaterOneIsServed() {
        String ts = NOW.minusSeconds(5).toString();
        write(stats, List.of(row("driver_id", 51, "event_timestamp", ts, "city", "first"), row("driver_id", 51, "event_timestamp", ts, "city", "second")));
        assertThat(read(List.of(stats + ".city"), List.of(Map.of("driver_id", 51)), false).getList("data.onlineFeatures.columns[1].values"))
                .containsExactly("second");
        assertThat(ok("query($f: [String!]!, $rows: [JSON!]!) { historicalFeatures(features: $f, entityRows: $rows) }",
                Map.of("f", List.of(stats + ".city"), "rows", List.of(Map.of("driver_id", 51, "event_timestamp", NOW.toString()))))
                .getString("data.historicalFeatures[0].city")).isEqualTo("second");
    }

    @Test
    void aBulkWriteUpdatesTheOnlineStoreWithEachEntitysLatestRow() {
        String rows = "SELECT (i % 100)::BIGINT AS driver_id, TIMESTAMPTZ '" + NOW + "' - to_seconds((i // 100)::BIGINT) AS event_timestamp, "
                + "(i // 100) * 1.0 AS conv_rate FROM range(1000) t(i)";
        JsonPath result = BulkRest.write(stats, Columnar.ARROW, Columnar.arrow(rows), null).statusCode(200).extract().jsonPath();
        assertThat(result.getString("online.status")).isEqualTo("UPDATED");
        assertThat(result.getLong("online.entities")).isEqualTo(100);

        JsonPath r = read(List.of(stats + ".conv_rate"), List.of(Map.of("driver_id", 0), Map.of("driver_id", 99)), true);
        assertThat(r.getList("data.onlineFeatures.columns[1].values", Float.class)).containsExactly(0.0f, 0.0f); // i // 100 = 0 is the latest
        assertThat(r.getString("data.onlineFeatures.columns[1].name")).isEqualTo(stats + "__conv_rate");
    }

    @Test
    void severalGroupsAreReadTogetherAndOfflineOnlyGroupsFromTheirSnapshot() {
        String rider = unique("rider");
        String trips = unique("trips");
        register(List.of(entity(rider, "rider_id", "STRING")), List.of(with(group(trips, rider, List.of(feature("trips", "BIGINT"))),
                "onlineEnabled", false)));
        write(stats, List.of(row("driver_id", 5, "event_timestamp", NOW.minusSeconds(5).toString(), "city", "Oslo")));
        JsonPath offlineOnly = write(trips, List.of(row("rider_id", "r-1", "event_timestamp", NOW.minusSeconds(50).toString(), "trips", 40),
                row("rider_id", "r-1", "event_timestamp", NOW.minusSeconds(5).toString(), "trips", 41)));
        assertThat(offlineOnly.getString("data.write.online.status")).isEqualTo("DISABLED");

        JsonPath r = read(List.of(stats + ".city", trips + ".trips"), List.of(Map.of("driver_id", 5, "rider_id", "r-1"),
                Map.of("driver_id", 6, "rider_id", "r-2")), false);

        assertThat(r.getList("data.onlineFeatures.columns.name")).containsExactly("driver_id", "rider_id", "city", "trips");
        assertThat(r.getList("data.onlineFeatures.columns[2].values")).containsExactly("Oslo", null);
        assertThat(r.getList("data.onlineFeatures.columns[3].values")).containsExactly(41, null);
        assertThat(r.getList("data.onlineFeatures.columns[3].statuses")).containsExactly("PRESENT", "NOT_FOUND");
        assertThat(r.getList("data.onlineFeatures.metadata.groups.source")).containsExactly("ONLINE", "OFFLINE");
        assertThat(r.getString("data.onlineFeatures.metadata.groups[1].reason")).contains("offline-only");
        assertThat(r.getBoolean("data.onlineFeatures.metadata.degraded")).isFalse();
    }

    @Test
    void deletingAGroupRemovesItsOnlineRecords() {
        write(stats, List.of(row("driver_id", 31, "event_timestamp", NOW.toString(), "conv_rate", 0.1)));
        OnlineKey key = new OnlineKey(OnlineCodec.table(catalog.group(stats, 0).group()), "[31]");
        assertThat(store.read(List.of(key)).get(0)).isNotNull();

        ok("mutation($n: String!) { deleteFeatureGroup(name: $n) { deletedVersions } }", Map.of("n", stats));

        assertThat(store.read(List.of(key)).get(0)).isNull();
    }

    @Test
    void unknownFeaturesAndBadEntitiesGetClearErrors() {
        JsonPath unknown = failing(READ, Map.of("f", List.of(stats + ".conv_rat"), "e", List.of(Map.of("driver_id", 1))));
        assertThat(unknown.getString("errors[0].extensions.code")).isEqualTo("FEATURE_NOT_FOUND");
        assertThat(unknown.getString("errors[0].message")).contains("conv_rate");
        JsonPath noGroup = failing(READ, Map.of("f", List.of("no_such_group_x.conv_rate"), "e", List.of(Map.of("driver_id", 1))));
        assertThat(noGroup.getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");
        JsonPath badKeys = failing(READ, Map.of("f", List.of(stats + ".conv_rate"), "e", List.of(Map.of("driverid", 1), Map.of("driver_id", "x"))));
        assertThat(badKeys.getList("errors[0].extensions.violations.path")).containsExactly("entities[0].driver_id", "entities[1].driver_id");
        assertThat(badKeys.getList("errors[0].extensions.violations.rule")).containsExactly("MISSING_KEY", "TYPE");
    }

    /**
     * The request and response of Feast's documented HTTP feature server example (driver_hourly_stats with conv_rate,
     * acc_rate, avg_daily_trips for drivers 1001-1003), against this service.
     */
    @Test
    void theFeastEndpointAnswersFeastsDocumentedRequestInFeastsShape() {
        write(stats, List.of(
                row("driver_id", 1001, "event_timestamp", NOW.minusSeconds(3600).toString(), "conv_rate", 0.25, "acc_rate", 0.5, "avg_daily_trips", 10),
                row("driver_id", 1002, "event_timestamp", NOW.minusSeconds(3600).toString(), "conv_rate", 0.75, "acc_rate", 0.125, "avg_daily_trips", 20)));
        String request = """
                {
                  "features": ["%1$s:conv_rate", "%1$s:acc_rate", "%1$s:avg_daily_trips"],
                  "entities": {"driver_id": [1001, 1002, 1003]}
                }""".formatted(stats);

        JsonPath r = given().contentType(ContentType.JSON).body(request).post("/get-online-features").then().statusCode(200)
                .extract().jsonPath();

        assertThat(r.getList("metadata.feature_names")).containsExactly("driver_id", "conv_rate", "acc_rate", "avg_daily_trips");
        assertThat(r.getList("results")).hasSize(4);
        assertThat(r.getList("results[0].values")).containsExactly(1001, 1002, 1003);
        assertThat(r.getList("results[0].statuses")).containsExactly("PRESENT", "PRESENT", "PRESENT");
        assertThat(r.getList("results[0].event_timestamps")).containsExactly("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z");
        assertThat(r.getList("results[1].values", Float.class)).containsExactly(0.25f, 0.75f, null);
        assertThat(r.getList("results[1].statuses")).containsExactly("PRESENT", "PRESENT", "NOT_FOUND");
        assertThat(r.getList("results[1].event_timestamps")).containsExactly(NOW.minusSeconds(3600).toString(),
                NOW.minusSeconds(3600).toString(), "1970-01-01T00:00:00Z");
        assertThat(r.getList("results[3].values")).containsExactly(10, 20, null);
        assertThat(r.getDouble("metadata.serving_latency_ms")).isPositive();
        assertThat(r.getBoolean("metadata.degraded")).isFalse();

        String full = """
                {"features": ["%1$s:conv_rate"], "entities": {"driver_id": [1001]}, "full_feature_names": true}""".formatted(stats);
        assertThat(given().contentType(ContentType.JSON).body(full).post("/get-online-features").then().statusCode(200)
                .extract().jsonPath().getList("metadata.feature_names")).containsExactly("driver_id", stats + "__conv_rate");

        JsonPath uneven = given().contentType(ContentType.JSON).body("{\"features\": [\"" + stats + ":conv_rate\"], "
                + "\"entities\": {\"driver_id\": [1, 2], \"other\": [1]}}").post("/get-online-features").then().statusCode(400)
                .contentType("application/problem+json").extract().jsonPath();
        assertThat(uneven.getString("detail")).contains("same length");
        assertThat(given().contentType(ContentType.JSON).body("{\"feature_service\": \"driver_activity\", \"entities\": {\"driver_id\": [1]}}")
                .post("/get-online-features").then().statusCode(404).extract().jsonPath().getString("code")).isEqualTo("FEATURE_SERVICE_NOT_FOUND");
        assertThat(given().contentType(ContentType.JSON).body("{\"features\": [\"" + stats + ":nope\"], \"entities\": {\"driver_id\": [1]}}")
                .post("/get-online-features").then().statusCode(404).extract().jsonPath().getString("code")).isEqualTo("FEATURE_NOT_FOUND");
    }
}
