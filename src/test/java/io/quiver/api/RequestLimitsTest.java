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
import static org.hamcrest.Matchers.containsString;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;

/** No single request can take the service down: every cap answers with an error that names the limit. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class RequestLimitsTest {

    @TestHTTPResource("/")
    URI base;

    private String name;

    @BeforeEach
    void registerGroup() {
        String e = unique("cust");
        name = unique("limits");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("v", "INT")))));
    }

    private static List<Map<String, Object>> entities(int n) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Map.of("customer_id", i));
        }
        return out;
    }

    @Test
    void onlineEntitiesAreCappedOverAllAliasesOfARequest() {
        String two = "query($f: [String!]!, $e: [JSON!]!) { a: onlineFeatures(features: $f, entities: $e) { metadata { degraded } } "
                + "b: onlineFeatures(features: $f, entities: $e) { metadata { degraded } } }";
        JsonPath json = failing(two, Map.of("f", List.of(name + ".v"), "e", entities(6000)));
        assertThat(json.getString("errors[0].message")).contains("at most 10000 entities").contains("quiver.api.max-online-entities")
                .contains("aliases included").contains("12000");
        ok("query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { metadata { degraded } } }",
                Map.of("f", List.of(name + ".v"), "e", entities(6000)));
    }

    @Test
    void theFeastEndpointCapsEntitiesAndItsBodyAndRefusesBodiesOfUnknownLength() throws Exception {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            ids.add(i);
        }
        given().contentType("application/json").body(Map.of("features", List.of(name + ":v"), "entities", Map.of("customer_id", ids)))
                .post("/get-online-features").then().statusCode(400).body("detail", containsString("quiver.api.max-online-entities"));

        HttpClient client = HttpClient.newHttpClient();
        byte[] big = ("{\"features\": [\"" + name + ":v\"], \"pad\": \"" + "x".repeat(17 << 20) + "\"}").getBytes();
        HttpResponse<String> tooLarge = client.send(HttpRequest.newBuilder(base.resolve("get-online-features")).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("REQUEST_TOO_LARGE").contains("quiver.api.max-json-body");
        HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(base.resolve("get-online-features")).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream("{}".getBytes()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(411);
    }

    @Test
    void numbersNoTypeHoldsAreRefusedAtOnceWhereverTheyCome() {
        // as a literal in the document, as a variable, in a Feast entity list
        JsonPath literal = failing("mutation { write(group: \"" + name + "\", rows: [{customer_id: 1e999999999, event_timestamp: "
                + "\"2026-01-01T00:00:00Z\", v: 1}]) { rowsWritten } }", Map.of());
        assertThat(literal.getString("errors[0].message")).contains("out of range");
        // a variable is refused before execution: not a well-formed request (400 whatever the media type)
        given().contentType("application/json").body("{\"query\": \"query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, "
                + "entities: $e) { metadata { degraded } } }\", \"variables\": {\"f\": [\"" + name + ".v\"], \"e\": [{\"customer_id\": 1e999999999}]}}")
                .post("/graphql").then().statusCode(400).body("errors[0].message", containsString("out of range"));
        given().contentType("application/json").body("{\"features\": [\"" + name + ":v\"], \"entities\": {\"customer_id\": [1e999999999]}}")
                .post("/get-online-features").then().statusCode(400);
    }

    @Test
    void aDocumentNestedBeyondTheDepthLimitIsRefused() {
        // introspection types nest (ofType): the only way to go deeper than the 15 levels allowed
        String deep = "ofType { ".repeat(20) + "name" + " }".repeat(20);
        JsonPath json = failing("{ __schema { types { " + deep + " } } }", Map.of());
        assertThat(json.getString("errors[0].message")).contains("depth");
    }
}
