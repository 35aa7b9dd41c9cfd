package io.quiver.offline;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.RegistryCatalog;
import io.quiver.support.Columnar;
import io.quiver.support.Fuzz;
import io.quiver.support.OwnDatabaseResource;
import io.quiver.support.OwnS3Resource;
import io.quiver.support.RedisTestResource;
import jakarta.inject.Inject;
import static io.quiver.support.GraphQL.dataPrefix;
import static io.quiver.support.GraphQL.ok;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.support.BulkRest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The S3 server goes away (killed) and comes back with its objects: a write while it is down fails cleanly with
 * OBJECT_STORE_UNAVAILABLE, saying nothing of where it is; a bulk write it dies in the middle of either lands whole or
 * leaves no snapshot, and what it left is swept once the grace period passed.
 */
@QuarkusTest
@WithTestResource(value = OwnDatabaseResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "name", value = "quiver_s3outage_test"))
@WithTestResource(value = OwnS3Resource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ObjectStoreOutageTest {

    private static final long ROWS = 60_000; // 15 files of 4,096 rows in the test profile

    @Inject
    ObjectStore objects;

    @Inject
    SnapshotMaintenance maintenance;

    @Inject
    RegistryCatalog catalog;

    private String name;

    @BeforeEach
    void registerGroup() {
        String e = unique("cust");
        name = unique("s3out");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("v", "INT")))));
    }

    private static byte[] rows(long n) {
        return Columnar.arrow("SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(i) AS event_timestamp, "
                + "i::INTEGER AS v FROM range(" + n + ") t(i)", 8192);
    }

    @Test
    void aWriteWhileTheObjectStoreIsDownFailsCleanlyWithoutItsAddress() {
        OwnS3Resource.server.kill();
        try {
            String graphql = given().contentType("application/json").body(Map.of("query", "mutation($g: String!, $r: [JSON!]!) { "
                    + "write(group: $g, rows: $r) { rowsWritten } }", "variables", Map.of("g", name, "r", List.of(Map.of("customer_id", 1,
                    "event_timestamp", "2026-01-01T00:00:00Z", "v", 1))))).post("/graphql").then().statusCode(200).extract().asString();
            assertThat(graphql).contains("OBJECT_STORE_UNAVAILABLE").contains("requestId");
            assertThat(Fuzz.internals(graphql)).isNull();
            assertThat(graphql).doesNotContain(OwnS3Resource.server.endpoint().replace("http://", "")).doesNotContain("quiver-own");
            Response rest = BulkRest.write(name, Columnar.ARROW, rows(10), null).statusCode(503).extract().response();
            assertThat(rest.header("Retry-After")).isNotNull();
            assertThat(rest.asString()).contains("OBJECT_STORE_UNAVAILABLE").doesNotContain("127.0.0.1");
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            OwnS3Resource.server.startAgain();
        }
        assertThat(ok("query($g: String!) { snapshots(group: $g) { id } }", Map.of("g", name)).getList("data.snapshots")).isEmpty();
    }

    @Test
    void aBulkWriteTheObjectStoreDiesInEitherLandsWholeOrLeavesNothingOnceSwept() throws Exception {
        byte[] body = rows(ROWS);
        Random random = new Random(20261201L);
        int landed = 0;
        for (int round = 0; round < 3; round++) {
            CompletableFuture<JsonPath> write = CompletableFuture.supplyAsync(() -> BulkRest.write(name, Columnar.ARROW, body, null)
                    .extract().jsonPath());
            Thread.sleep(150 + random.nextInt(600)); // somewhere in the staging, the file writing or the uploads
            OwnS3Resource.server.kill();
            Thread.sleep(700); // longer than the retries of one call
            OwnS3Resource.server.startAgain();
            JsonPath answer = write.get(120, TimeUnit.SECONDS);
            if (answer.get("snapshot") != null) {
                landed++;
                assertThat(answer.getLong("rowsWritten")).isEqualTo(ROWS);
            } else {
                assertThat(answer.getString("code")).isIn("OBJECT_STORE_UNAVAILABLE", "FEATURE_MATERIALIZATION_FAILED");
            }
        }
        // every committed snapshot reads back whole; no half-written snapshot exists
        JsonPath snapshots = ok("query($g: String!) { snapshots(group: $g) { rowCount files { key bytes } } }", Map.of("g", name));
        List<Map<String, Object>> states = snapshots.getList("data.snapshots");
        assertThat(states).hasSize(landed);
        for (int i = 0; i < landed; i++) {
            assertThat(snapshots.getLong("data.snapshots[" + i + "].rowCount")).isEqualTo(ROWS * (landed - i));
            List<Map<String, Object>> files = snapshots.getList("data.snapshots[" + i + "].files");
            for (Map<String, Object> f : files) {
                assertThat(objects.stat((String) f.get("key"))).map(ObjectInfo::size).contains(((Number) f.get("bytes")).longValue());
            }
        }
        // after the grace period, what failed writes left is gone, and only what snapshots use is left
        Thread.sleep(2_500);
        maintenance.sweep(catalog.group(name, 0).group());
        List<String> left = objects.list(dataPrefix(name)).stream().map(ObjectInfo::key).toList();
        List<String> used = landed == 0 ? List.of() : snapshots.getList("data.snapshots[0].files.key");
        assertThat(left).containsExactlyInAnyOrderElementsOf(used);
    }
}
