package io.quiver.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import static org.hamcrest.Matchers.nullValue;

/**
 * /graphql speaks GraphQL over HTTP as the specification (graphql.github.io/graphql-over-http) says: media types in
 * and out, status codes for request errors under application/graphql-response+json, GET for queries only, clear
 * 4xx answers for malformed requests; GraphiQL still works.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class GraphQLOverHttpTest {

    private static final String RESPONSE_TYPE = "application/graphql-response+json";
    private static final String QUERY = "{ entities { name } }";

    /** A request whose body and headers are exactly what the test says (no content type added by the client). */
    private static RequestSpecification raw() {
        return given().config(RestAssuredConfig.config().encoderConfig(EncoderConfig.encoderConfig()
                .appendDefaultContentCharsetToContentTypeIfUndefined(false)));
    }

    private static ValidatableResponse post(String accept, String body) {
        RequestSpecification r = raw().contentType("application/json").body(body);
        if (accept != null) {
            r = r.accept(accept);
        }
        return r.when().post("/graphql").then();
    }

    private static String body(String query) {
        return "{\"query\": \"" + query.replace("\"", "\\\"") + "\"}";
    }

    @Test
    void aQueryIsAnsweredInTheTypeTheClientAccepts() {
        post(null, body(QUERY)).statusCode(200).contentType(startsWith("application/json")).body("data.entities", notNullValue());
        post("*/*", body(QUERY)).statusCode(200).contentType(startsWith("application/json"));
        post("application/json", body(QUERY)).statusCode(200).contentType(startsWith("application/json"));
        post(RESPONSE_TYPE, body(QUERY)).statusCode(200).contentType(startsWith(RESPONSE_TYPE)).body("data.entities", notNullValue());
        post(RESPONSE_TYPE + ", application/json;q=0.9", body(QUERY)).statusCode(200).contentType(startsWith(RESPONSE_TYPE));
        post("application/json, " + RESPONSE_TYPE + ";q=0.5", body(QUERY)).statusCode(200).contentType(startsWith("application/json"));
        post("text/html", body(QUERY)).statusCode(406).body("errors[0].message", containsString("Accept"));
    }

    @Test
    void requestErrorsAre400UnderTheGraphQLResponseTypeAnd200UnderJson() {
        String parse = body("{ entities { name ");
        String invalid = body("{ noSuchField }");
        String coercion = "{\"query\": \"query($g: String!) { featureGroup(name: $g) { name } }\", \"variables\": {\"g\": {\"no\": 1}}}";
        for (String request : new String[] {parse, invalid, coercion}) {
            post(RESPONSE_TYPE, request).statusCode(400).contentType(startsWith(RESPONSE_TYPE)).body("errors[0].message", notNullValue())
                    .body("data", nullValue());
            post("application/json", request).statusCode(200).contentType(startsWith("application/json")).body("errors[0].message", notNullValue());
        }
        post(RESPONSE_TYPE, coercion).body("errors[0].message", org.hamcrest.Matchers.allOf(containsString("an object"),
                org.hamcrest.Matchers.not(containsString("HashMap")))).body("errors[0].extensions.requestId", notNullValue());
        // a field error is not a request error: the response has data, so 200
        post(RESPONSE_TYPE, body("{ featureGroup(name: \"never_registered_x\") { name } }")).statusCode(200)
                .body("errors[0].extensions.code", equalTo("FEATURE_GROUP_NOT_FOUND"));
    }

    @Test
    void malformedRequestsAre4xxWithAReason() {
        raw().body(body(QUERY)).post("/graphql").then().statusCode(415).body("errors[0].message", containsString("Content-Type"));
        raw().contentType("text/plain").body(body(QUERY)).post("/graphql").then().statusCode(415);
        post(null, "{\"query\": ").statusCode(400).body("errors[0].message", containsString("not valid JSON"));
        post(null, "[1, 2]").statusCode(400).body("errors[0].extensions.code", equalTo("INVALID_ARGUMENT"));
        post(null, "").statusCode(400);
        post(null, "{\"query\": 7}").statusCode(400).body("errors[0].message", containsString("query must be a string"));
        post(null, "{\"variables\": {}}").statusCode(400).body("errors[0].message", containsString("no query"));
        post(null, "{\"query\": \"{ entities { name } }\", \"operationName\": 3}").statusCode(400);
        for (String variables : new String[] {"\"text\"", "42", "[1]", "true"}) {
            post(null, "{\"query\": \"{ entities { name } }\", \"variables\": " + variables + "}").statusCode(400)
                    .body("errors[0].message", containsString("variables must be a JSON object"));
        }
        post(null, "{\"query\": \"{ entities { name } }\", \"variables\": {\"x\": 1e999999999}}").statusCode(400)
                .body("errors[0].message", containsString("out of range"));
    }

    /** A request offering an HTTP/2 upgrade (curl --http2, the JDK client) is not a WebSocket: the same rules apply. */
    @Test
    void requestsOfferingAnHttp2UpgradeFollowTheSameRules() {
        raw().header("Connection", "Upgrade, HTTP2-Settings").header("Upgrade", "h2c").header("HTTP2-Settings", "AAMAAABkAAQCAAAAAAIAAAAA")
                .contentType("text/plain").body(body(QUERY)).post("/graphql").then().statusCode(415);
        raw().header("Upgrade", "h2c").contentType("application/json").body("{\"query\": \"{ entities { name } }\", \"variables\": true}")
                .post("/graphql").then().statusCode(400).body("errors[0].extensions.code", equalTo("INVALID_ARGUMENT"));
        raw().header("Upgrade", "h2c").contentType("application/json").body(body(QUERY)).post("/graphql").then().statusCode(200)
                .body("data.entities", notNullValue());
    }

    @Test
    void getRunsQueriesButNeverMutations() {
        raw().queryParam("query", QUERY).get("/graphql").then().statusCode(200).body("data.entities", notNullValue());
        raw().accept(RESPONSE_TYPE).queryParam("query", "{ entities { nope } }").get("/graphql").then().statusCode(400);
        String mutation = "mutation { deleteFeatureGroup(name: \"anything_at_all\") { deletedVersions } }";
        raw().queryParam("query", mutation).get("/graphql").then().statusCode(405).header("Allow", "POST")
                .body("errors[0].message", containsString("POST it"));
        raw().queryParam("query", "query q { entities { name } } mutation m { deleteFeatureGroup(name: \"x\") { deletedVersions } }")
                .queryParam("operationName", "q").get("/graphql").then().statusCode(200);
        raw().queryParam("query", QUERY).queryParam("variables", "[1]").get("/graphql").then().statusCode(400);
        raw().get("/graphql").then().statusCode(400).body("errors[0].message", containsString("query parameter"));
        raw().contentType("application/json").body(body(QUERY)).put("/graphql").then().statusCode(405);
    }

    @Test
    void aBodyOverTheLimitIs413AndLimitsOnTheDocumentNameTheLimit() {
        String huge = "{\"query\": \"{ entities { name } }\", \"variables\": {\"pad\": \"" + "x".repeat(17 * 1024 * 1024) + "\"}}";
        post(null, huge).statusCode(413).body("errors[0].extensions.code", equalTo("REQUEST_TOO_LARGE"))
                .body("errors[0].message", containsString("quiver.api.max-json-body"));

        // 1,050 aliased fields with one sub-field each: beyond the complexity limit of 2,000
        post(RESPONSE_TYPE, body("{ " + aliasesOf(1050) + "}")).statusCode(400).body("errors[0].message", containsString("complexity"));
    }

    private static String aliasesOf(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("a").append(i).append(": entities { name } ");
        }
        return b.toString();
    }

    @Test
    void everyAnswerCarriesARequestIdAndACallersOwnIsKept() {
        String id = post(null, body(QUERY)).statusCode(200).extract().header("X-Request-Id");
        assertThat(id).isNotBlank();
        raw().header("X-Request-Id", "client-42").contentType("application/json").body(body(QUERY)).post("/graphql").then()
                .header("X-Request-Id", "client-42");
        raw().header("X-Request-Id", "bad id with spaces").contentType("application/json").body(body(QUERY)).post("/graphql").then()
                .header("X-Request-Id", org.hamcrest.Matchers.not("bad id with spaces"));
        post(null, "[1]").statusCode(400).body("errors[0].extensions.requestId", notNullValue());
    }

    @Test
    void graphiqlStillWorks() {
        given().get("/q/graphql-ui/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("SECURITY IS OFF")).body(containsString("graphiql"));
        // what GraphiQL sends
        raw().contentType("application/json").accept("application/graphql-response+json, application/json, multipart/mixed")
                .body(Map.of("query", QUERY, "variables", Map.of())).post("/graphql").then().statusCode(200).body("data.entities", notNullValue());
    }
}
