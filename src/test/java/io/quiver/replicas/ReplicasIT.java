package io.quiver.replicas;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.S3ProxyServer;
import io.quiver.support.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Two packaged service processes on one PostgreSQL, Redis and S3 server, as replicas behind a load balancer are. A
 * registry change made through one is served by the other within {@link #BOUND} (the stated bound; about 0.1 s is usual,
 * the margin is for a loaded CI machine), with a registry cache TTL of ten minutes, so only the change notification can explain
 * it; also when the notification was lost because the other replica's listener connection was cut. Writes through
 * both land, a schedule's tick runs on one replica only, a job started on one is followed from the other, and a job
 * whose replica was killed is ended as abandoned and run again by the other (last: it restarts replica A).
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    /** Far below the TTL (10 min): a replica that misses the change fails this test. */
    static final Duration BOUND = Duration.ofSeconds(5);

    private static S3ProxyServer s3;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static String db;

    @BeforeAll
    static void startReplicas() throws Exception {
        Path dir = Path.of("target", "replicas-it");
        Files.createDirectories(dir);
        s3 = S3ProxyServer.start(Files.createTempDirectory(dir.toAbsolutePath(), "s3"));
        db = PostgresTestDatabase.createDatabase("quiver_replicas_test");
        String prefix = "quiver-replicas:" + UUID.randomUUID().toString().substring(0, 8) + ":";
        a = new ServiceProcess("replica-a", settings(dir.resolve("a"), prefix));
        b = new ServiceProcess("replica-b", settings(dir.resolve("b"), prefix));
        a.start();
        b.start();
    }

    private static Map<String, String> settings(Path dir, String prefix) {
        Map<String, String> s = ServiceProcess.realServices(db, s3, "quiver-replicas", prefix, dir);
        s.put("quiver.registry.cache-ttl", "PT10M");
        s.put("quiver.online.job-lease", "PT3S");
        s.put("quiver.online.schedule-refresh", "1s");
        s.put("quiver.duckdb.memory-limit", "512MB");
        return s;
    }

    @AfterAll
    static void stopReplicas() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, s3}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // best effort
            }
        }
    }

    static JsonPath post(ServiceProcess on, String document, Map<String, Object> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", document);
        body.put("variables", variables);
        return given().baseUri("http://127.0.0.1").port(on.base().getPort()).contentType(ContentType.JSON).body(body)
                .when().post("/graphql").then().statusCode(200).extract().jsonPath();
    }

    static JsonPath ok(ServiceProcess on, String document, Map<String, Object> variables) {
        JsonPath json = post(on, document, variables);
        assertThat(json.getList("errors")).as("errors of %s", document).isNull();
        return json;
    }

    static final String READ = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { "
            + "metadata { groups { group version } } } }";

    /** The version of the group the replica serves a read of the feature with. */
    static int servedVersion(ServiceProcess on, String feature) {
        return ok(on, READ, Map.of("f", List.of(feature), "e", List.of(Map.of("customer_id", 1)))).getInt("data.onlineFeatures.metadata.groups[0].version");
    }

    static void register(ServiceProcess on, List<Map<String, Object>> entities, List<Map<String, Object>> groups) {
        ok(on, GraphQL.REGISTER, Map.of("entities", entities, "groups", groups));
    }

    /** Milliseconds until the replica serves the version (polling every 10 ms); fails past {@link #BOUND}. */
    static long millisUntilServed(ServiceProcess on, String feature, int version, long since) throws InterruptedException {
        while (servedVersion(on, feature) != version) {
            assertThat(System.nanoTime() - since).as("%s serves version %d of %s", on.base(), version, feature).isLessThan(BOUND.toNanos());
            Thread.sleep(10);
        }
        return (System.nanoTime() - since) / 1_000_000;
    }

    @Test
    void aBreakingChangeOnOneReplicaIsServedByTheOtherAtOnce() throws Exception {
        String e = unique("cust");
        String g = unique("grp");
        List<Map<String, Object>> features = new ArrayList<>(List.of(feature("b", "INT")));
        for (int x = 2; x <= 6; x++) {
            features.add(feature("x" + x, "INT"));
        }
        register(a, List.of(entity(e, "customer_id", "BIGINT")), List.of(group(g, e, features)));
        // both replicas cache version 1
        assertThat(servedVersion(a, g + ".b")).isEqualTo(1);
        assertThat(servedVersion(b, g + ".b")).isEqualTo(1);

        List<Long> delays = new ArrayList<>();
        for (int v = 2; v <= 6; v++) {
            // removing a feature is breaking: a new version each time
            int removed = v;
            features.removeIf(f -> f.get("name").equals("x" + removed));
            register(a, List.of(), List.of(group(g, e, features)));
            long t0 = System.nanoTime();
            delays.add(millisUntilServed(b, g + ".b", v, t0));
        }
        System.out.printf("replica B served each new version %s ms after A's registration answered%n", delays);
        // a removed feature is refused by B as by A, not served from an older version
        JsonPath removed = post(b, READ, Map.of("f", List.of(g + ".x6"), "e", List.of(Map.of("customer_id", 1))));
        assertThat(removed.getString("errors[0].extensions.code")).isEqualTo("FEATURE_NOT_FOUND");
    }

    @Test
    void aDeployedReplicaLogsOneJsonObjectPerLineWithTheRequestId() throws Exception {
        String e = unique("cust");
        String g = unique("grp");
        register(b, List.of(entity(e, "customer_id", "BIGINT")), List.of(group(g, e, List.of(feature("a", "INT")))));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<com.fasterxml.jackson.databind.JsonNode> records = new ArrayList<>();
        for (String line : b.logLines()) {
            if (line.startsWith("{")) {
                records.add(json.readTree(line)); // fails on a line that is not one whole JSON object
            }
        }
        assertThat(records).isNotEmpty();
        assertThat(records).anySatisfy(r -> {
            assertThat(r.path("message").asText()).contains("registration changed").contains(g);
            assertThat(r.path("mdc").path("requestId").asText()).isNotBlank();
            assertThat(r.path("level").asText()).isEqualTo("INFO");
        });
    }

    @Test
    void aReplicaWhoseListenerLostTheNotificationDropsItsWholeCacheOnReconnect() throws Exception {
        String e = unique("cust");
        String g = unique("grp");
        register(a, List.of(entity(e, "customer_id", "BIGINT")), List.of(group(g, e, List.of(feature("a", "INT"), feature("b", "INT")))));
        assertThat(servedVersion(b, g + ".b")).isEqualTo(1);

        double reconnectsBefore = metric(b, "quiver_registry_invalidations_total", "cause=\"reconnect\"");
        // cut every listener's connection, then change at once: nobody listens when the notification goes out
        int cut = terminateListeners();
        assertThat(cut).isGreaterThanOrEqualTo(2);
        register(a, List.of(), List.of(group(g, e, List.of(feature("b", "INT")))));
        long t0 = System.nanoTime();
        long delay = millisUntilServed(b, g + ".b", 2, t0);
        System.out.printf("with the notification lost, replica B served the new version %d ms after the change%n", delay);
        // what brought it: the reconnect that dropped B's whole cache, not a notification
        assertThat(metric(b, "quiver_registry_invalidations_total", "cause=\"reconnect\"")).isGreaterThan(reconnectsBefore);
        JsonPath removed = post(b, READ, Map.of("f", List.of(g + ".a"), "e", List.of(Map.of("customer_id", 1))));
        assertThat(removed.getString("errors[0].extensions.code")).isEqualTo("FEATURE_NOT_FOUND");
    }

    /** The sum of the Prometheus series of that name whose labels include {@code label} (e.g. {@code cause="reconnect"}). */
    static double metric(ServiceProcess on, String name, String label) {
        String text = given().baseUri("http://127.0.0.1").port(on.base().getPort()).when().get("/q/metrics").then().statusCode(200)
                .extract().asString();
        return text.lines().filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Ends the listener sessions of the replicas' database, as a network cut or a database failover would. */
    private static int terminateListeners() throws Exception {
        try (Connection c = DriverManager.getConnection(db, PostgresTestDatabase.user(), PostgresTestDatabase.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = "
                        + "'quiver-registry-listener' AND datname = current_database()")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static String timedGroup(ServiceProcess on, String schedule) {
        String g = unique("rep");
        String e = g + "_ent";
        Map<String, Object> group = new HashMap<>(group(g, e, List.of(feature("score", "DOUBLE"))));
        if (schedule != null) {
            group.put("materializationSchedule", schedule);
        }
        register(on, List.of(entity(e, "user_id", "BIGINT")), List.of(group));
        return g;
    }

    private static void bulkWrite(ServiceProcess on, String g, long from, long rows) {
        byte[] body = io.quiver.support.Columnar.arrow("SELECT i::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01' + to_seconds(i % 86400) AS "
                + "event_timestamp, i * 0.5 AS score FROM range(" + from + ", " + (from + rows) + ") t(i)", 50_000);
        given().baseUri("http://127.0.0.1").port(on.base().getPort()).contentType(io.quiver.support.Columnar.ARROW).body(body)
                .when().post("/api/v1/groups/" + g + "/data").then().statusCode(200);
    }

    static final String JOBS = "query($g: String!) { materializationJobs(group: $g, first: 100) { id trigger status entities error } }";

    @Test
    @org.junit.jupiter.api.Order(1)
    void writesThroughBothReplicasAtOnceAllLand() throws Exception {
        String g = timedGroup(a, null);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        List<java.util.concurrent.Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ServiceProcess on = i % 2 == 0 ? a : b;
            long from = i * 1_000L;
            writes.add(pool.submit(() -> bulkWrite(on, g, from, 1_000)));
        }
        for (java.util.concurrent.Future<?> w : writes) {
            w.get(2, java.util.concurrent.TimeUnit.MINUTES);
        }
        pool.shutdown();
        // every commit landed on top of the others (compare-and-set on the snapshot log): 16 snapshots, all rows
        JsonPath log = ok(b, "query($g: String!) { snapshots(group: $g, first: 100) { sequenceNumber rowCount } }", Map.of("g", g));
        assertThat(log.<Integer>getList("data.snapshots.sequenceNumber")).hasSize(16).doesNotHaveDuplicates();
        assertThat(log.getLong("data.snapshots[0].rowCount")).isEqualTo(16_000);
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void eachScheduledTickRunsOnOneReplica() throws Exception {
        double[] before = {metric(a, "quiver_materialization_ticks_total", "claimed"), metric(a, "quiver_materialization_ticks_total", "skipped"),
                metric(b, "quiver_materialization_ticks_total", "claimed"), metric(b, "quiver_materialization_ticks_total", "skipped")};
        String g = timedGroup(a, "0/2 * * * * ?"); // B learns of it from the change notification
        bulkWrite(a, g, 0, 100);
        long started = System.nanoTime();
        Thread.sleep(7_000);
        register(a, List.of(), List.of(group(g, g + "_ent", List.of(feature("score", "DOUBLE"))))); // no schedule any more
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(500); // a run that had started ends
        List<Map<String, Object>> jobs = ok(b, JOBS, Map.of("g", g)).getList("data.materializationJobs");
        List<Map<String, Object>> scheduled = jobs.stream().filter(j -> "SCHEDULE".equals(j.get("trigger"))).toList();
        // one job per tick (a tick every 2 s), none refused because the other replica held the group
        assertThat(scheduled).as("jobs of %.1f s of ticks: %s", seconds, jobs).hasSizeBetween(2, (int) (seconds / 2) + 1)
                .allMatch(j -> "SUCCEEDED".equals(j.get("status")));
        // both replicas fired the ticks (B too: it had the schedule from the notification); each tick was claimed once
        double claimedA = metric(a, "quiver_materialization_ticks_total", "claimed") - before[0];
        double skippedA = metric(a, "quiver_materialization_ticks_total", "skipped") - before[1];
        double claimedB = metric(b, "quiver_materialization_ticks_total", "claimed") - before[2];
        double skippedB = metric(b, "quiver_materialization_ticks_total", "skipped") - before[3];
        System.out.printf("ticks: A claimed %.0f skipped %.0f, B claimed %.0f skipped %.0f, %d scheduled jobs%n", claimedA, skippedA,
                claimedB, skippedB, scheduled.size());
        assertThat(claimedB + skippedB).as("ticks B fired").isGreaterThanOrEqualTo(2);
        assertThat(claimedA + skippedA).as("ticks A fired").isGreaterThanOrEqualTo(2);
        assertThat(claimedA + claimedB).as("ticks claimed").isEqualTo(scheduled.size());
    }

    @Test
    @org.junit.jupiter.api.Order(3)
    void aJobStartedOnOneReplicaIsFollowedFromTheOther() throws Exception {
        String g = timedGroup(a, null);
        bulkWrite(a, g, 0, 200_000);
        long id = ok(a, "mutation($g: String!) { materializeIncremental(group: $g, wait: false) { id } }", Map.of("g", g))
                .getLong("data.materializeIncremental.id");
        List<com.fasterxml.jackson.databind.JsonNode> updates = io.quiver.support.GraphQLSubscription.collect(b.base().resolve("graphql"),
                "subscription { materializationProgress(jobId: " + id + ") { status entities } }");
        List<String> statuses = updates.stream().map(u -> u.path("data").path("materializationProgress").path("status").asText()).toList();
        assertThat(statuses).isNotEmpty().last().isEqualTo("SUCCEEDED");
        assertThat(updates.get(updates.size() - 1).path("data").path("materializationProgress").path("entities").asLong()).isEqualTo(200_000);
        assertThat(ok(b, JOBS, Map.of("g", g)).getString("data.materializationJobs[0].status")).isEqualTo("SUCCEEDED");
    }

    @Test
    @org.junit.jupiter.api.Order(4)
    void aJobWhoseReplicaDiedIsEndedAndTheOtherReplicaRunsItAgain() throws Exception {
        String g = timedGroup(a, null);
        bulkWrite(a, g, 0, 1_000_000);
        long id = ok(a, "mutation($g: String!) { materializeIncremental(group: $g, wait: false) { id } }", Map.of("g", g))
                .getLong("data.materializeIncremental.id");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"RUNNING".equals(ok(b, JOBS, Map.of("g", g)).getString("data.materializationJobs[0].status"))) {
            assertThat(System.nanoTime()).as("job %d running on A", id).isLessThan(deadline);
            Thread.sleep(20);
        }
        a.kill();
        // B ends it once its lease (3 s here) lapsed, then runs the group again itself
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath jobs;
        while (!"FAILED".equals((jobs = ok(b, JOBS, Map.of("g", g))).getString("data.materializationJobs.find { it.id == " + id + " }.status"))) {
            assertThat(System.nanoTime()).as("job %d ended as abandoned", id).isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(jobs.getString("data.materializationJobs.find { it.id == " + id + " }.error")).contains("abandoned");
        JsonPath rerun = ok(b, "mutation($g: String!) { materializeIncremental(group: $g, wait: true) { status entities } }", Map.of("g", g));
        assertThat(rerun.getString("data.materializeIncremental.status")).isEqualTo("SUCCEEDED");
        assertThat(rerun.getLong("data.materializeIncremental.entities")).isEqualTo(1_000_000);
        a.start();
    }
}
