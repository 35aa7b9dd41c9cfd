package io.quiver.catalog;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.Browser;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The catalog in a real browser against a secured service on PostgreSQL, Redis and the S3 server: a person without a
 * key is told to enter one; a reader finds a registered feature by search, opens it and its group (schema, lineage
 * graph) and sees no operator actions; an admin forcing a strategy without a reason reads the API's refusal in
 * words, then forces it with one and watches the page switch to MATERIALIZED once the background fill succeeded.
 */
@QuarkusTest
@TestProfile(CatalogBrowserTest.SecuredCatalog.class)
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class CatalogBrowserTest {

    static final String ADMIN = "qvk_bootstrap002_" + "b".repeat(40);

    public static class SecuredCatalog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quiver.security.open", "false", "quiver.security.key-secret", "catalog-secret-0123456789-0123456789-01234",
                    "quiver.security.bootstrap-admin-key", ADMIN, "quiver.security.rate-limit", "100000");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    ObjectStore objects;

    private static JsonPath ok(String key, String document, Map<String, Object> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", document);
        body.put("variables", variables);
        JsonPath json = given().header("X-API-Key", key).contentType(ContentType.JSON).body(body).when().post("/graphql").then().statusCode(200)
                .extract().jsonPath();
        assertThat(json.getList("errors")).as("errors of %s", document).isNull();
        return json;
    }

    @Test
    @SuppressWarnings("unchecked") // the scenario's JSON answer
    void aReaderFindsAndReadsAnAdminActsAndErrorsReachThePersonInWords() throws Exception {
        String p = unique("cat");
        String customer = p + "_customer";
        String orders = p + "_orders";
        String derived = p + "_scores";
        String hybrid = p + "_spend";
        String lake = "lake/" + p + "/";
        objects.put(lake + "a.parquet", Columnar.parquet("SELECT c::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS ts, "
                + "c * 1.5 AS amount FROM range(1, 6) t(c)"));
        ok(ADMIN, "mutation($s: DataSourceInput!) { registerDataSource(dataSource: $s) { name } }",
                Map.of("s", Map.of("name", p + "_lake", "layer", "GOLD", "location", lake, "format", "PARQUET")));
        Map<String, Object> basket = with(feature(p + "_basket", "DOUBLE"), "description", "Mean basket value of the last 30 days",
                "unit", "EUR", "sourceDatasets", List.of("silver." + p + "_orders"));
        Map<String, Object> score = with(feature("loyalty", "DOUBLE"), "sourceFeatures", List.of(orders + "." + p + "_basket"));
        Map<String, Object> variables = Map.of("entities", List.of(entity(customer, "customer_id", "BIGINT")), "groups", List.of(
                with(group(orders, customer, List.of(basket, feature("orders_30d", "INT"))), "eventTimestampColumn", "ts",
                        "description", "What a customer ordered lately", "owner", "growth-analytics"),
                with(group(derived, customer, List.of(score)), "eventTimestampColumn", "ts"),
                with(group(hybrid, customer, List.of(feature("amount", "DOUBLE"))), "mode", "HYBRID", "eventTimestampColumn", "ts",
                        "queryTemplate", "SELECT customer_id, ts, amount FROM {{gold." + p + "_lake}}")));
        ok(ADMIN, """
                mutation($entities: [EntityInput], $groups: [FeatureGroupInput]) {
                  register(entities: $entities, groups: $groups) { groups { action } } }""", variables);
        ok(ADMIN, "mutation($g: String!) { write(group: $g, rows: [{customer_id: 1, ts: \"2026-01-01T00:00:00Z\", " + p + "_basket: 42.5, orders_30d: 3}, "
                + "{customer_id: 2, ts: \"2026-01-01T00:00:00Z\", orders_30d: 1}]) { rowsWritten } }", Map.of("g", orders));
        ok(ADMIN, "mutation($g: String!) { refreshFeatures(group: $g) { rowCount } }", Map.of("g", orders));
        String reader = ok(ADMIN, "mutation($n: String!) { createApiKey(name: $n, roles: [READER]) { key } }", Map.of("n", p + "-reader"))
                .getString("data.createApiKey.key");
        String writer = ok(ADMIN, "mutation($n: String!) { createApiKey(name: $n, roles: [WRITER]) { key } }", Map.of("n", p + "-writer"))
                .getString("data.createApiKey.key");

        Map<String, Object> seen = Browser.run("secured", base, Map.of("adminKey", ADMIN, "readerKey", reader, "writerKey", writer, "search", p,
                "feature", orders + "." + p + "_basket", "group", orders, "hybrid", hybrid, "reason", "nightly model training"));

        // without a key: told what to do
        assertThat((String) seen.get("withoutKey")).contains("needs a valid API key").contains("enter one");
        // the reader finds the feature by search, with its group's facts
        assertThat((String) seen.get("who")).contains("reader");
        // each result with its group's owner and mode
        assertThat((String) seen.get("featureResults")).contains(orders + "." + p + "_basket").contains("Mean basket value of the last 30 days")
                .contains("growth-analytics").contains("MATERIALIZED").contains("DOUBLE");
        assertThat((String) seen.get("definition")).contains("DOUBLE").contains("EUR");
        assertThat((String) seen.get("upstream")).contains("silver." + p + "_orders").contains(derived + "@1.loyalty");
        // the group page: schema with types and statistics, and the lineage drawn as a graph
        assertThat((String) seen.get("schema")).contains(p + "_basket").contains("orders_30d").contains("INT").contains("50 %");
        assertThat(((Number) seen.get("lineageNodes")).intValue()).isGreaterThanOrEqualTo(5); // dataset, group, 2 features, derived
        assertThat((String) seen.get("lineageText")).contains("silver." + p + "_orders").contains(derived + "@1.loyalty");
        // a reader gets no operator actions; an admin does
        assertThat(((Number) seen.get("readerSeesActions")).intValue()).isZero();
        assertThat(((Number) seen.get("readerSeesForce")).intValue()).isZero();
        assertThat(((Number) seen.get("adminSeesForce")).intValue()).isOne();
        assertThat((Map<?, ?>) seen.get("writerSees")).isEqualTo(Map.of("force", 0, "deprecate", 0, "materialize", 1));
        assertThat((String) seen.get("writerMaterialized")).startsWith("Materialization job").contains("succeeded").contains("2 rows read");
        // its progress came over the subscription on a secured instance: the socket opened and answered
        assertThat((List<Object>) seen.get("writerSockets")).anyMatch(u -> u.toString().endsWith("/graphql")).contains("next");
        // an API error in words, then the forced strategy shows and reads switch once the fill succeeded
        assertThat((String) seen.get("servedBefore")).isEqualTo("VIRTUALIZED");
        assertThat((String) seen.get("error")).startsWith("Forcing the strategy failed:").containsIgnoringCase("reason")
                .doesNotContain("Exception").doesNotContain("io.quiver");
        assertThat((String) seen.get("forced")).contains("forced materialized").contains("nightly model training");
        assertThat((String) seen.get("servedAfter")).isEqualTo("MATERIALIZED");
        assertThat((String) seen.get("history")).contains("FORCED");
        assertThat((String) seen.get("deprecated")).isEqualTo(orders + " v1 is deprecated.");
        assertThat(((Number) seen.get("deprecateGone")).intValue()).isZero();
        // and the API agrees with the page
        assertThat(ok(ADMIN, "query($g: String!) { featureGroup(name: $g) { servedAs strategy { forced forcedReason } } }", Map.of("g", hybrid))
                .getString("data.featureGroup.strategy.forcedReason")).isEqualTo("nightly model training");
    }
}
