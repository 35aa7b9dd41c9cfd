package io.quiver.api;

import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.register;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.Columnar;
import io.quiver.support.Fuzz;
import io.quiver.support.Hostile;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * Every entry point is sent a few hundred random and mutated requests (seeded: the seed is printed, and
 * {@code -DfuzzSeed=N} replays a run): valid requests with one part replaced by an edge case (numbers no
 * type holds, deep nesting, odd text), bodies with bytes flipped, ints overwritten, ranges cut or repeated, and odd
 * headers. No answer may be a 5xx, show anything internal, or hang (each request is bounded by a timeout, a hang
 * detector, not a performance check); the service stays healthy and answers a normal request afterwards.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class FuzzTest {

    private static final Duration HANG = Duration.ofSeconds(20);
    /** How many times the default number of requests to send ({@code -DfuzzScale=10} for a long local run). */
    private static final int SCALE = Integer.getInteger("fuzzScale", 1);
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "application/graphql", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "");
    private static final List<String> ACCEPTS = List.of("", "*/*", "application/json", "application/graphql-response+json",
            "text/html", "application/graphql-response+json;q=0, application/json", "application/vnd.apache.arrow.stream",
            "application/vnd.apache.parquet", "application/*");

    @TestHTTPResource("/")
    URI base;

    private HttpClient client;
    private String group;
    private final List<String> failures = new ArrayList<>();

    @BeforeEach
    void setUp() {
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String e = unique("cust");
        group = unique("fuzz");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(with(group(group, e, List.of(feature("v", "INT"),
                feature("amount", "DECIMAL(10,2)"), feature("tags", "ARRAY<STRING>"), feature("name", "STRING"))),
                "createdTimestampColumn", "created")));
        ok("mutation($g: String!, $r: [JSON!]!) { write(group: $g, rows: $r) { rowsWritten } }", Map.of("g", group, "r",
                List.of(Map.of("customer_id", 1, "event_timestamp", "2026-01-01T00:00:00Z", "v", 1, "name", "a"))));
    }

    @AfterEach
    void stillHealthy() {
        given().get("/q/health/live").then().statusCode(200);
        ok("{ entities { name } }", Map.of());
        assertThat(failures).as("answers that were 5xx, leaked internals or hung").isEmpty();
    }

    /** Sends the request and records what is wrong with the answer (binary bodies are kept under target/fuzz-failures). */
    private void send(String what, HttpRequest.Builder request) {
        send(what, request, null);
    }

    private void send(String what, HttpRequest.Builder request, byte[] body) {
        int before = failures.size();
        sendAndCheck(what, request);
        if (failures.size() > before && body != null) {
            try {
                java.nio.file.Path dir = java.nio.file.Path.of("target", "fuzz-failures");
                java.nio.file.Files.createDirectories(dir);
                java.nio.file.Path file = dir.resolve("body-" + failures.size() + ".bin");
                java.nio.file.Files.write(file, body);
                failures.set(failures.size() - 1, failures.get(failures.size() - 1) + " (body in " + file + ")");
            } catch (java.io.IOException e) {
                // the failure is recorded anyway
            }
        }
    }

    private void sendAndCheck(String what, HttpRequest.Builder request) {
        HttpResponse<String> r;
        try {
            r = client.send(request.timeout(HANG).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.net.http.HttpTimeoutException e) {
            failures.add("hung: " + what);
            return;
        } catch (Exception e) {
            failures.add("no answer (" + e + "): " + what);
            return;
        }
        if (r.statusCode() >= 500) {
            failures.add(r.statusCode() + " for " + what + ": " + r.body());
        }
        String leak = Fuzz.internals(r.body());
        if (leak != null) {
            failures.add("internals in the answer to " + what + ": ..." + leak + "...");
        }
    }

    private HttpRequest.Builder post(String path, String contentType, byte[] body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!contentType.isEmpty()) {
            b.header("Content-Type", contentType);
        }
        if (!accept.isEmpty()) {
            b.header("Accept", accept);
        }
        return b;
    }

    private List<Map<String, Object>> graphqlCorpus() {
        List<Map<String, Object>> corpus = new ArrayList<>();
        corpus.add(request("{ featureGroups(first: 5) { nodes { name version features { name type effectiveConfig { key value } } } } }", Map.of()));
        corpus.add(request("query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { columns { name values statuses } "
                + "metadata { degraded } } }", Map.of("f", List.of(group + ".v"), "e", List.of(Map.of("customer_id", 1)))));
        corpus.add(request("mutation($g: String!, $r: [JSON!]!) { write(group: $g, rows: $r) { rowsWritten } }", Map.of("g", group, "r",
                List.of(Map.of("customer_id", 2, "event_timestamp", "2026-01-02T00:00:00Z", "v", 2, "amount", 1.25, "tags", List.of("x"))))));
        corpus.add(request("query($f: [String!]!, $e: [JSON!]!) { historicalFeatures(features: $f, entityRows: $e) }", Map.of("f",
                List.of(group + ".v", group + ".name"), "e", List.of(Map.of("customer_id", 1, "event_timestamp", "2026-02-01T00:00:00Z")))));
        corpus.add(request("query($g: String!) { snapshots(group: $g, first: 3) { id files { key } addedFiles { key } } }", Map.of("g", group)));
        corpus.add(request("mutation($g: [FeatureGroupInput!]) { register(groups: $g) { groups { action } } }", Map.of("g",
                List.of(Map.of("name", group, "entities", List.of("nope"), "features", List.of(Map.of("name", "v", "type", "INT")))))));
        corpus.add(request("query($g: String!) { materializationJobs(group: $g, first: 2) { id status error } }", Map.of("g", group)));
        corpus.add(request("mutation($g: String!, $t: DateTime!) { expireSnapshots(group: $g, olderThan: $t) { deletedFiles } }",
                Map.of("g", group, "t", "2020-01-01T00:00:00Z")));
        return corpus;
    }

    private static Map<String, Object> request(String query, Map<String, Object> variables) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("query", query);
        r.put("variables", variables);
        return r;
    }

    @Test
    void graphqlAnswersEveryMutatedRequestWithoutA5xx() {
        Fuzz fuzz = new Fuzz("graphql");
        System.out.println("FuzzTest graphql seed " + fuzz.seed());
        List<Map<String, Object>> corpus = graphqlCorpus();
        for (int i = 0; i < 400 * SCALE; i++) {
            Map<String, Object> base = fuzz.pick(corpus);
            String body;
            int how = fuzz.nextInt(10);
            if (how < 6) {
                body = Fuzz.json(fuzz.mutate(base)); // one part of a valid request replaced
            } else if (how < 8) {
                body = new String(fuzz.mutate(Fuzz.json(base).getBytes(StandardCharsets.UTF_8)), StandardCharsets.ISO_8859_1);
            } else if (how < 9) {
                Map<String, Object> r = new LinkedHashMap<>(base);
                r.put("variables", fuzz.value(3)); // variables of any JSON kind
                body = Fuzz.json(r);
            } else {
                body = Fuzz.json(fuzz.value(4));
            }
            String type = fuzz.nextInt(5) == 0 ? fuzz.pick(CONTENT_TYPES) : "application/json";
            String accept = fuzz.pick(ACCEPTS);
            send("POST /graphql [" + type + "; " + accept + "] " + abbreviate(body), post("graphql", type,
                    body.getBytes(StandardCharsets.ISO_8859_1), accept));
        }
        for (int i = 0; i < 40 * SCALE; i++) {
            String query = Fuzz.json(fuzz.mutate(fuzz.pick(corpus))).replace("\"", "");
            send("GET /graphql?query=" + abbreviate(query), HttpRequest.newBuilder(base.resolve("graphql?query="
                    + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8) + "&variables="
                    + java.net.URLEncoder.encode(Fuzz.json(fuzz.value(2)), StandardCharsets.UTF_8))).GET());
        }
    }

    @Test
    void bulkEndpointsAnswerEveryMutatedBodyWithoutA5xx() {
        Fuzz fuzz = new Fuzz("bulk");
        System.out.println("FuzzTest bulk seed " + fuzz.seed());
        String rows = "SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(i) AS event_timestamp, "
                + "TIMESTAMPTZ '2026-01-01 00:00:00+00' AS created, i::INTEGER AS v, (i / 100.0)::DECIMAL(10,2) AS amount, "
                + "['a', 'b'] AS tags, 'n' || i AS name FROM range(300) t(i)";
        List<byte[]> writes = List.of(Columnar.arrow(rows, 100), Columnar.parquet(rows), Hostile.withNames(50, v -> { }));
        String entities = "SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' AS event_timestamp FROM range(50) t(i)";
        List<byte[]> tables = List.of(Columnar.arrow(entities, 20), Columnar.parquet(entities));
        for (int i = 0; i < 300 * SCALE; i++) {
            boolean write = fuzz.nextInt(2) == 0;
            int pick = fuzz.nextInt(write ? writes.size() : tables.size());
            byte[] body = fuzz.mutate(write ? writes.get(pick) : tables.get(pick));
            boolean arrow = write ? pick != 1 : pick == 0;
            String type = fuzz.nextInt(8) == 0 ? fuzz.pick(Columnar.ARROW, Columnar.PARQUET, "application/x-parquet", "text/csv", "")
                    : arrow ? Columnar.ARROW : Columnar.PARQUET;
            String path = write ? "api/v1/groups/" + group + "/data" + fuzz.pick("", "?mode=OVERWRITE", "?mode=bogus", "?version=0",
                    "?version=99999999999", "?backfillStart=2026-01-01T00:00:00Z&backfillEnd=2026-01-02T00:00:00Z", "?backfillStart=x")
                    : "api/v1/historical-features?features=" + fuzz.pick(group + ".v", group + ".v," + group + ".tags", "nope.v", ",,", group
                            + ".v&asOf=yesterday", group + ".v&snapshot=" + group + ":abc", group + ".v&timestampColumn=customer_id");
            send("POST /" + path + " [" + type + "] " + body.length + " bytes", post(path, type, body, write ? "" : fuzz.pick(ACCEPTS)), body);
        }
    }

    @Test
    void feastEndpointAnswersEveryMutatedRequestWithoutA5xx() {
        Fuzz fuzz = new Fuzz("feast");
        System.out.println("FuzzTest feast seed " + fuzz.seed());
        Map<String, Object> valid = new LinkedHashMap<>();
        valid.put("features", List.of(group + ":v", group + ":name"));
        valid.put("entities", Map.of("customer_id", List.of(1, 2, 3)));
        valid.put("full_feature_names", false);
        for (int i = 0; i < 200 * SCALE; i++) {
            String body = fuzz.nextInt(4) == 0 ? new String(fuzz.mutate(Fuzz.json(valid).getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.ISO_8859_1) : Fuzz.json(fuzz.mutate(valid));
            String type = fuzz.nextInt(6) == 0 ? fuzz.pick(CONTENT_TYPES) : "application/json";
            send("POST /get-online-features " + abbreviate(body), post("get-online-features", type,
                    body.getBytes(StandardCharsets.ISO_8859_1), fuzz.pick(ACCEPTS)));
        }
    }

    @Test
    void registryRestAnswersEveryOddPathWithoutA5xx() {
        Fuzz fuzz = new Fuzz("rest");
        System.out.println("FuzzTest rest seed " + fuzz.seed());
        List<String> paths = List.of("api/v1/feature-groups/", "api/v1/features/", "api/v1/groups/", "api/v1/historical-features/");
        for (int i = 0; i < 120 * SCALE; i++) {
            String segment = java.net.URLEncoder.encode(String.valueOf(fuzz.value(0)), StandardCharsets.UTF_8);
            String path = fuzz.pick(paths) + fuzz.pick(group, group + ".v", group + "@1.v", segment, segment + "/data")
                    + fuzz.pick("", "?version=" + segment, "?version=-1", "?version=1");
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
            b = fuzz.nextInt(3) == 0 ? b.method(fuzz.pick("PUT", "DELETE", "PATCH", "POST"), HttpRequest.BodyPublishers.ofString(segment))
                    : b.GET();
            send(path, b);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
