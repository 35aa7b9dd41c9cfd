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
import java.util.LinkedHashMap;
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
 * registry change made through one is served by the other within {@link #BOUND} (the stated bound is 1 s; the margin
 * is for a loaded CI machine), with a registry cache TTL of ten minutes, so only the change notification can explain
 * it; also when the notification was lost because the other replica's listener connection was cut.
 */
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
        Map<String, String> s = new LinkedHashMap<>();
        s.put("quarkus.datasource.jdbc.url", db);
        s.put("quarkus.datasource.username", PostgresTestDatabase.user());
        s.put("quarkus.datasource.password", PostgresTestDatabase.password());
        s.put("quiver.object-store.type", "S3");
        s.put("quiver.object-store.s3-endpoint", s3.endpoint());
        s.put("quiver.object-store.s3-access-key", S3ProxyServer.ACCESS_KEY);
        s.put("quiver.object-store.s3-secret-key", S3ProxyServer.SECRET_KEY);
        s.put("quiver.object-store.s3-bucket", "quiver-replicas");
        s.put("quarkus.redis.hosts", System.getenv().getOrDefault("QUIVER_TEST_REDIS_URL", "redis://127.0.0.1:6379"));
        s.put("quiver.online.key-prefix", prefix);
        s.put("quiver.registry.cache-ttl", "PT10M");
        s.put("quiver.offline.cache-dir", dir.resolve("cache").toAbsolutePath().toString());
        s.put("quiver.duckdb.temp-directory", dir.resolve("duckdb-tmp").toAbsolutePath().toString());
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
    void aReplicaWhoseListenerLostTheNotificationDropsItsWholeCacheOnReconnect() throws Exception {
        String e = unique("cust");
        String g = unique("grp");
        register(a, List.of(entity(e, "customer_id", "BIGINT")), List.of(group(g, e, List.of(feature("a", "INT"), feature("b", "INT")))));
        assertThat(servedVersion(b, g + ".b")).isEqualTo(1);

        // cut every listener's connection, then change at once: nobody listens when the notification goes out
        int cut = terminateListeners();
        assertThat(cut).isGreaterThanOrEqualTo(2);
        register(a, List.of(), List.of(group(g, e, List.of(feature("b", "INT")))));
        long t0 = System.nanoTime();
        long delay = millisUntilServed(b, g + ".b", 2, t0);
        System.out.printf("with the notification lost, replica B served the new version %d ms after the change%n", delay);
        JsonPath removed = post(b, READ, Map.of("f", List.of(g + ".a"), "e", List.of(Map.of("customer_id", 1))));
        assertThat(removed.getString("errors[0].extensions.code")).isEqualTo("FEATURE_NOT_FOUND");
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
}
