package io.quiver.api;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.Fuzz;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Internal failures, provoked for real, answer with the stable code, a sentence saying what to do and the request id,
 * never with SQL, paths, endpoints or exception names, through GraphQL and REST: the query engine failing on a data
 * file that was corrupted in the object store, and the registry database refusing connections. (The object store
 * and Redis going down are in ObjectStoreOutageTest and DegradationTest.)
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class InternalFailuresTest {

    @Inject
    ObjectStore objects;

    private String name;

    @BeforeEach
    void registerAndWrite() {
        String e = unique("cust");
        name = unique("broken");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("v", "INT")))));
        ok("mutation($g: String!, $r: [JSON!]!) { write(group: $g, rows: $r) { rowsWritten } }", Map.of("g", name, "r",
                List.of(Map.of("customer_id", 1, "event_timestamp", "2026-01-01T00:00:00Z", "v", 1))));
    }

    private static void assertClean(String answer, String code) {
        assertThat(answer).contains(code).contains("requestId");
        assertThat(Fuzz.internals(answer)).as("internals in %s", answer).isNull();
    }

    @Test
    void theQueryEngineFailingOnACorruptDataFileIsReportedWithoutItsWords() {
        String key = ok("query($g: String!) { snapshots(group: $g) { files { key bytes } } }", Map.of("g", name))
                .getString("data.snapshots[0].files[0].key");
        byte[] garbage = new byte[(int) objects.stat(key).orElseThrow().size()];
        java.util.Arrays.fill(garbage, (byte) 'x');
        objects.put(key, garbage); // someone overwrote it in the bucket

        String graphql = given().contentType("application/json").body(Map.of("query",
                "query($f: [String!]!, $e: [JSON!]!) { historicalFeatures(features: $f, entityRows: $e) }", "variables", Map.of("f",
                        List.of(name + ".v"), "e", List.of(Map.of("customer_id", 1, "event_timestamp", "2026-02-01T00:00:00Z")))))
                .post("/graphql").then().statusCode(200).extract().asString();
        assertClean(graphql, "FEATURE_MATERIALIZATION_FAILED");
        String rest = BulkRest.historical(Columnar.ARROW, null, Columnar.arrow("SELECT 1::BIGINT AS customer_id, "
                + "TIMESTAMPTZ '2026-02-01' AS event_timestamp"), "features=" + name + ".v").statusCode(500).extract().asString();
        assertClean(rest, "FEATURE_MATERIALIZATION_FAILED");
    }

    @Test
    void theRegistryDatabaseRefusingConnectionsIsRegistryUnavailableWithoutItsAddress() throws Exception {
        try (Connection admin = DriverManager.getConnection(PostgresTestDatabase.server() + "postgres", PostgresTestDatabase.user(),
                PostgresTestDatabase.password()); Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE quiver_test ALLOW_CONNECTIONS false");
            try {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'quiver_test'");
                String graphql = given().contentType("application/json").body(Map.of("query", "{ featureGroups(first: 1) { totalCount } }"))
                        .post("/graphql").then().statusCode(200).extract().asString();
                assertClean(graphql, "FEATURE_REGISTRY_UNAVAILABLE");
                String rest = given().get("/api/v1/feature-groups/" + name).then().statusCode(503).header("Retry-After", "5")
                        .extract().asString();
                assertClean(rest, "FEATURE_REGISTRY_UNAVAILABLE");
                assertThat(rest).doesNotContain("5432").doesNotContain("quiver_test");
            } finally {
                s.execute("ALTER DATABASE quiver_test ALLOW_CONNECTIONS true");
            }
        }
        // and it serves again once the database is back
        JsonPath back = null;
        for (int i = 0; i < 50 && back == null; i++) {
            try {
                back = ok("{ featureGroups(first: 1) { totalCount } }", Map.of());
            } catch (AssertionError notYet) {
                Thread.sleep(200); // the pool replaces the connections it lost
            }
        }
        assertThat(back).isNotNull();
        assertThat(failing("{ featureGroup(name: \"never_registered_q\") { name } }", Map.of()).getString("errors[0].extensions.code"))
                .isEqualTo("FEATURE_GROUP_NOT_FOUND");
    }
}
