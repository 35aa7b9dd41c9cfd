package io.quiver.online;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Redis goes down and comes back (a Redis of the test class's own, killed and restarted empty): online reads fall
 * back to the offline store and say so, writes still commit offline and are flagged, readiness reports the outage,
 * and an incremental materialization after the restart puts everything back online. Run against a standalone Redis
 * ({@link DegradationTest}) and a Redis Cluster ({@link ClusterDegradationTest}).
 */
public abstract class DegradationContract {

    /** Kills the Redis the service uses (every node of a cluster). */
    protected abstract void stopRedis();

    /** Starts it again, empty, and waits until it serves. */
    protected abstract void startRedis();

    /** A port of the Redis the service uses: the store names it, error messages never do. */
    protected abstract int redisPort();

    private static final String READ = """
            query($f: [String!]!, $e: [JSON!]!) {
              onlineFeatures(features: $f, entities: $e) {
                columns { values statuses } metadata { degraded groups { source reason } }
              }
            }""";

    @Inject
    OnlineStore store;

    @Inject
    io.quiver.access.AccessRecorder access;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    private JsonPath read(String group) {
        return ok(READ, Map.of("f", List.of(group + ".score"), "e", List.of(Map.of("user_id", 1))));
    }

    @Test
    void readsFallBackToTheOfflineStoreWhileRedisIsDownAndEverythingComesBackAfter() throws Exception {
        assertThat(store.location()).contains(":" + redisPort());
        String e = unique("user");
        String g = unique("deg");
        register(List.of(entity(e, "user_id", "BIGINT")), List.of(group(g, e, List.of(feature("score", "DOUBLE")))));
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        assertThat(OnlineServingTest.write(g, List.of(OnlineServingTest.row("user_id", 1, "event_timestamp", t.minusSeconds(60).toString(),
                "score", 1.5))).getString("data.write.online.status")).isEqualTo("UPDATED");
        assertThat(read(g).getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");
        JsonPath before = ok("mutation($g: String!) { materializeIncremental(group: $g, wait: true) { status end } }", Map.of("g", g));
        Instant lastEnd = Instant.parse(before.getString("data.materializeIncremental.end"));

        stopRedis();

        JsonPath down = read(g);
        assertThat(down.getBoolean("data.onlineFeatures.metadata.degraded")).isTrue();
        assertThat(down.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("OFFLINE");
        assertThat(down.getString("data.onlineFeatures.metadata.groups[0].reason")).contains("online store is unavailable");
        assertThat(down.getList("data.onlineFeatures.columns[1].values", Float.class)).containsExactly(1.5f);
        assertThat(down.getList("data.onlineFeatures.columns[1].statuses")).containsExactly("PRESENT");
        // Redis has a fallback: the replica stays ready and says it is degraded
        JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(ready.getBoolean("checks.find { it.name == 'online-store' }.data.degraded")).isTrue();
        assertThat(given().get("/q/metrics").then().extract().asString()).contains("quiver_health_degraded{dependency=\"online-store\"} 1.0");

        // access metrics live in the same Redis: recording never failed the reads above; their counts are dropped and counted
        double dropped = meters.get("quiver.access.dropped").counter().count();
        read(g);
        access.flush();
        assertThat(meters.get("quiver.access.dropped").counter().count()).isGreaterThan(dropped);
        JsonPath metrics = io.quiver.support.GraphQL.failing("query($g: String!) { accessMetrics(group: $g) { reads } }", Map.of("g", g));
        assertThat(metrics.getString("errors[0].extensions.code")).isEqualTo("ONLINE_STORE_UNAVAILABLE");
        assertThat(metrics.getString("errors[0].message")).contains("access metrics").doesNotContain(String.valueOf(redisPort()));

        // a late event: older than where the last incremental run ended, so only its pending flag can bring it online
        Instant late = lastEnd.minusSeconds(30);
        JsonPath written = OnlineServingTest.write(g, List.of(OnlineServingTest.row("user_id", 1, "event_timestamp", late.toString(), "score", 2.5)));
        assertThat(written.getString("data.write.online.status")).isEqualTo("PENDING");
        assertThat(written.getString("data.write.online.error")).contains("next materialization");
        assertThat(read(g).getList("data.onlineFeatures.columns[1].values", Float.class)).containsExactly(2.5f); // committed offline

        startRedis(); // empty: it kept nothing on disk
        JsonPath back = null;
        for (int i = 0; i < 50; i++) {
            back = read(g);
            if (!back.getBoolean("data.onlineFeatures.metadata.degraded")) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        assertThat(back.getBoolean("data.onlineFeatures.metadata.degraded")).isFalse();
        assertThat(back.getList("data.onlineFeatures.columns[1].statuses")).containsExactly("NOT_FOUND");
        given().get("/q/health/ready").then().statusCode(200);

        JsonPath job = ok("mutation($g: String!) { materializeIncremental(group: $g, wait: true) { status entities start } }", Map.of("g", g));
        assertThat(job.getString("data.materializeIncremental.status")).isEqualTo("SUCCEEDED");
        assertThat(Instant.parse(job.getString("data.materializeIncremental.start"))).isEqualTo(late); // moved back from lastEnd
        JsonPath next = ok("mutation($g: String!) { materializeIncremental(group: $g, wait: true) { start } }", Map.of("g", g));
        assertThat(Instant.parse(next.getString("data.materializeIncremental.start"))).isAfter(lastEnd); // the flag is cleared
        JsonPath healed = read(g);
        assertThat(healed.getList("data.onlineFeatures.columns[1].values", Float.class)).containsExactly(2.5f);
        assertThat(healed.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");
    }

    @Inject
    io.quiver.offline.ObjectFileCache cache;

    @Test
    void aDegradedReadFetchesOnlyTheFilesThatCanHoldTheWantedEntities() throws Exception {
        String e = unique("user");
        String g = unique("prune");
        register(List.of(entity(e, "user_id", "BIGINT")), List.of(group(g, e, List.of(feature("score", "DOUBLE")))));
        // 10,000 entities in files of 4,096 rows (the test profile), sorted by user_id: three disjoint key ranges
        io.quiver.support.BulkRest.write(g, io.quiver.support.Columnar.ARROW, io.quiver.support.Columnar.arrow("SELECT i::BIGINT AS user_id, "
                + "now() - INTERVAL 1 MINUTE AS event_timestamp, i * 0.5 AS score FROM range(10000) t(i)"), null).statusCode(200);
        JsonPath files = ok("query($g: String!) { snapshots(group: $g) { files { key minKey maxKey } } }", Map.of("g", g));
        List<String> keys = files.getList("data.snapshots[0].files.key");
        assertThat(keys).hasSize(3);
        assertThat(files.getString("data.snapshots[0].files[0].minKey")).isEqualTo("0");

        stopRedis();
        try {
            JsonPath down = ok(READ, Map.of("f", List.of(g + ".score"), "e", List.of(Map.of("user_id", 10))));
            assertThat(down.getBoolean("data.onlineFeatures.metadata.degraded")).isTrue();
            assertThat(down.getList("data.onlineFeatures.columns[1].values", Float.class)).containsExactly(5.0f);
            assertThat(keys.stream().map(cache::holds).toList()).containsExactly(true, false, false);

            // a job whose task fails ends FAILED, saying what failed, with the code and the id its work was logged under
            JsonPath job = given().contentType("application/json").header("X-Request-Id", "deg-job-" + g)
                    .body(Map.of("query", "mutation($g: String!) { materializeIncremental(group: $g, wait: true) { status error errorCode requestId } }",
                            "variables", Map.of("g", g))).post("/graphql").then().statusCode(200).extract().jsonPath();
            assertThat(job.getString("data.materializeIncremental.status")).isEqualTo("FAILED");
            assertThat(job.getString("data.materializeIncremental.errorCode")).isEqualTo("ONLINE_STORE_UNAVAILABLE");
            assertThat(job.getString("data.materializeIncremental.requestId")).isEqualTo("deg-job-" + g);
            assertThat(job.getString("data.materializeIncremental.error")).contains("online store").doesNotContain("127.0.0.1");
        } finally {
            startRedis();
        }
    }
}
