package io.quiver.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quiver.support.Fuzz;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;

/**
 * Hostile GraphQL documents sent to a secured instance, without a key, with a reader's and with an admin's: deep
 * nesting of selections, lists and fragments, alias bombs, fragment fan-out, huge lists, long strings, many
 * directives and operations, in random sizes (seeded: the seed is printed, {@code -DfuzzSeed=N} replays a run).
 * Every one is answered (when within the limits) or refused with a GraphQL error that has a code and a sentence, never a 5xx or anything internal,
 * within a hang detector's timeout (not a performance check), and the instance answers a normal request afterwards.
 */
@QuarkusTest
@TestProfile(HostileDocumentsTest.SecuredWithoutRateLimit.class)
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class HostileDocumentsTest {

    /** The secured profile, without the rate limit (which would answer most of these with 429 first). */
    public static class SecuredWithoutRateLimit extends SecurityTest.Secured {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>(super.getConfigOverrides());
            m.put("quiver.security.rate-limit", "0");
            m.put("quarkus.log.file.path", java.nio.file.Path.of("target", "hostile-documents-test.log").toAbsolutePath().toString());
            return m;
        }
    }

    private static final Duration HANG = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/graphql")
    URI graphql;

    private static String repeat(int n, IntFunction<String> part) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(part.apply(i));
        }
        return b.toString();
    }

    /** The families of hostile documents, each at a size the seed picks. */
    static List<String> documents(Fuzz fuzz) {
        List<String> out = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            int depth = 16 + fuzz.nextInt(3000);
            int many = 2_001 + fuzz.nextInt(40_000);
            // selections nested past the depth limit, through real fields and through made-up ones
            out.add("{ " + "featureGroups(first: 1) { nodes { features { name } } } ".repeat(1) + repeat(depth, i -> "a { ") + "b" + " }".repeat(depth)
                    + " }");
            out.add("{ featureGroups(first: 1) { nodes { " + repeat(Math.min(depth, 400), i -> "strategy { inputs { ") + "name"
                    + " } }".repeat(Math.min(depth, 400)) + " } } }");
            // alias bombs: the same expensive field thousands of times
            out.add("{ " + repeat(many, i -> "a" + i + ": featureGroups(first: 500) { nodes { name features { name } } } ") + "}");
            out.add("{ " + repeat(many, i -> "m" + i + ": me { principal } ") + "}");
            // fragment fan-out (each level spreads the next three times) and a fragment cycle
            int levels = 5 + fuzz.nextInt(30);
            out.add("query { ...F0 } " + repeat(levels, i -> "fragment F" + i + " on Query { ...F" + (i + 1) + " ...F" + (i + 1) + " ...F" + (i + 1) + " } ")
                    + "fragment F" + levels + " on Query { me { principal } }");
            out.add("query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }");
            // huge and deep lists as arguments
            out.add("{ onlineFeatures(features: [" + repeat(many, i -> "\"g" + i + ".f\", ") + "], entities: [{customer_id: 1}]) { columns { name } } }");
            out.add("{ onlineFeatures(features: [\"g.f\"], entities: [" + repeat(many, i -> "{customer_id: " + i + "}, ") + "]) { columns { name } } }");
            out.add("{ historicalFeatures(features: " + "[".repeat(depth) + "\"g.f\"" + "]".repeat(depth) + ", entityRows: []) }");
            // long strings, many directives, many operations, many variables
            out.add("{ featureGroup(name: \"" + "x".repeat(100_000 + fuzz.nextInt(2_000_000)) + "\") { name } }");
            out.add("{ me " + repeat(many, i -> "@skip(if: false) ") + "{ principal } }");
            out.add(repeat(Math.min(many, 5_000), i -> "query q" + i + " { me { principal } } "));
            out.add("query(" + repeat(Math.min(many, 5_000), i -> "$v" + i + ": Int ") + ") { me { principal } }");
            // and random bytes that are almost a document
            out.add(new String(fuzz.mutate("{ featureGroups(first: 5) { nodes { name } } }".getBytes(StandardCharsets.UTF_8)), StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @Test
    void hostileDocumentsGetClearErrorsFromEveryCaller() throws Exception {
        Fuzz fuzz = new Fuzz("hostile-documents");
        System.out.println("HostileDocumentsTest seed " + fuzz.seed());
        String reader = given().contentType("application/json").header("X-API-Key", SecurityTest.ADMIN)
                .body(Map.of("query", "mutation { createApiKey(name: \"hostile-reader\", roles: [READER]) { key } }")).post("/graphql")
                .then().statusCode(200).extract().jsonPath().getString("data.createApiKey.key");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<String> wrong = new ArrayList<>();
        int sent = 0;
        for (String document : documents(fuzz)) {
            for (String key : new String[] { null, reader, SecurityTest.ADMIN }) {
                HttpRequest.Builder request = HttpRequest.newBuilder(graphql).timeout(HANG).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("query", document)), StandardCharsets.UTF_8));
                if (key != null) {
                    request.header("X-API-Key", key);
                }
                String what = (key == null ? "no key" : key.equals(reader) ? "reader" : "admin") + ", " + abbreviate(document);
                sent++;
                HttpResponse<String> r;
                try {
                    r = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                } catch (java.net.http.HttpTimeoutException e) {
                    wrong.add("hung: " + what);
                    continue;
                }
                String leak = Fuzz.internals(r.body());
                if (r.statusCode() >= 500 || leak != null) {
                    wrong.add(r.statusCode() + " for " + what + ": " + abbreviate(r.body()));
                    continue;
                }
                JsonNode answer = JSON.readTree(r.body());
                if (r.statusCode() == 200 && answer.path("errors").isMissingNode() && answer.path("data").isObject()) {
                    continue; // small enough to answer (a short fan-out, a few aliases): answered, not refused
                }
                JsonNode error = answer.path("errors").path(0);
                if (r.statusCode() == 413) {
                    error = answer; // a problem document: the body was over the JSON limit
                }
                String code = error.path("extensions").path("code").asText(error.path("code").asText(""));
                String message = error.path("message").asText(error.path("detail").asText(""));
                if (code.isEmpty() || message.length() < 15) {
                    wrong.add("no clear error for " + what + ": " + abbreviate(r.body()));
                }
            }
        }
        assertThat(wrong).as("%d hostile requests", sent).isEmpty();

        // the WebSocket's messages do not pass the HTTP checks: the bound holds there too
        String fanOut = "query { ...F0 } " + repeat(30, i -> "fragment F" + i + " on Query { ...F" + (i + 1) + " ...F" + (i + 1) + " ...F" + (i + 1) + " } ")
                + "fragment F30 on Query { me { principal } }";
        String overSocket;
        try {
            overSocket = io.quiver.support.GraphQLSubscription.collect(graphql, fanOut, Map.of("X-API-Key", reader)).toString();
        } catch (java.util.concurrent.ExecutionException e) {
            overSocket = e.getMessage();
        }
        assertThat(overSocket).contains("once its fragments are expanded");
        given().get("/q/health/live").then().statusCode(200);
        given().header("X-API-Key", reader).contentType("application/json").body(Map.of("query", "{ me { principal } }")).post("/graphql")
                .then().statusCode(200).body("data.me.principal", org.hamcrest.Matchers.startsWith("key:"));
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 150) + "... (" + s.length() + " chars)";
    }
}
