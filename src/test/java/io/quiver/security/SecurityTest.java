package io.quiver.security;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A secured instance (not open, a key secret, a bootstrap admin key), through GraphQL and REST: requests without a
 * usable key are refused saying why, each role may do what it includes and is told what it lacks, keys are managed
 * by admins, and no key ever reaches the log.
 */
@QuarkusTest
@TestProfile(SecurityTest.Secured.class)
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class SecurityTest {

    static final String ADMIN = "qvk_bootstrap001_" + "a".repeat(40);
    static final Path LOG = Path.of("target", "security-test.log");

    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> m = new HashMap<>();
            m.put("quiver.security.open", "false");
            m.put("quiver.security.key-secret", "test-secret-0123456789-0123456789-0123456789");
            m.put("quiver.security.bootstrap-admin-key", ADMIN);
            m.put("quarkus.log.file.enabled", "true");
            m.put("quarkus.log.file.path", LOG.toAbsolutePath().toString());
            m.put("quarkus.log.file.level", "ALL");
            m.put("quarkus.log.category.\"io.quiver\".level", "DEBUG");
            // what a deployment has unless it asks otherwise (the test profile turns both on)
            m.put("quarkus.smallrye-graphql.ui.enabled", "false");
            m.put("quarkus.smallrye-graphql.field-visibility", "no-introspection");
            // 60 requests per key per 10 s: far above what the other tests send, reached by the rate-limit test
            m.put("quiver.security.rate-limit", "60");
            m.put("quiver.security.rate-limit-period", "PT10S");
            return m;
        }
    }

    private static Response graphql(String key, String header, String document, Map<String, Object> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", document);
        body.put("variables", variables);
        var request = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            request = request.header(header, header.equals("Authorization") ? "Bearer " + key : key);
        }
        return request.when().post("/graphql");
    }

    private static JsonPath as(String key, String document, Map<String, Object> variables) {
        return graphql(key, "Authorization", document, variables).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath ok(String key, String document, Map<String, Object> variables) {
        JsonPath json = as(key, document, variables);
        assertThat(json.getList("errors")).as("errors of %s", document).isNull();
        return json;
    }

    private static String code(JsonPath json) {
        return json.getString("errors[0].extensions.code");
    }

    private static String message(JsonPath json) {
        return json.getString("errors[0].message");
    }

    static final String CREATE = """
            mutation($n: String!, $r: [Role!]!, $e: DateTime) { createApiKey(name: $n, owner: "team-a", roles: $r, expiresAt: $e) {
              key apiKey { id name owner roles status createdBy } } }""";

    private static String create(String name, String role, Instant expiresAt) {
        Map<String, Object> vars = new HashMap<>(Map.of("n", name, "r", List.of(role)));
        vars.put("e", expiresAt == null ? null : expiresAt.toString());
        return ok(ADMIN, CREATE, vars).getString("data.createApiKey.key");
    }

    static final String GROUPS = "{ featureGroups(first: 5) { nodes { name } } }";

    @Test
    void aRequestWithoutAUsableKeyIsRefusedSayingWhy() {
        JsonPath none = as(null, GROUPS, Map.of());
        assertThat(code(none)).isEqualTo("UNAUTHENTICATED");
        assertThat(message(none)).contains("carries no API key").contains("Authorization: Bearer");

        JsonPath malformed = as("not-a-key", GROUPS, Map.of());
        assertThat(code(malformed)).isEqualTo("UNAUTHENTICATED");
        assertThat(message(malformed)).contains("malformed").doesNotContain("not-a-key");

        String unknown = "qvk_unknown00001_" + "b".repeat(40);
        JsonPath notKnown = as(unknown, GROUPS, Map.of());
        assertThat(message(notKnown)).contains("not known").doesNotContain(unknown);

        // REST: 401 with a problem document and a challenge
        given().when().get("/api/v1/feature-groups/anything").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("code", org.hamcrest.Matchers.equalTo("UNAUTHENTICATED"));
        // a body to the REST API without any credential is refused before it is read
        given().contentType("multipart/form-data").multiPart("request", "{}").when().post("/api/v1/historical-features").then()
                .statusCode(401).header("WWW-Authenticate", "Bearer").body("code", org.hamcrest.Matchers.equalTo("UNAUTHENTICATED"));
                // health and metrics need no key (probes, Prometheus)
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfterAndOtherKeysGoOn() {
        String busy = create(unique("busy"), "READER", null);
        int refused = 0;
        Response last = null;
        for (int i = 0; i < 70; i++) {
            Response r = graphql(busy, "X-API-Key", GROUPS, Map.of());
            if (r.statusCode() == 429) {
                refused++;
                last = r;
            } else {
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(10);
        assertThat(last.header("Retry-After")).isEqualTo("10");
        assertThat(last.jsonPath().getString("errors[0].extensions.code")).isEqualTo("RATE_LIMITED");
        assertThat(last.jsonPath().getString("errors[0].message")).contains("retry after 10 s");
        // REST answers with a problem document; another key and the health checks are not affected
        given().header("X-API-Key", busy).when().get("/api/v1/feature-groups/x").then().statusCode(429).header("Retry-After", "10")
                .contentType("application/problem+json").body("code", org.hamcrest.Matchers.equalTo("RATE_LIMITED"));
        ok(ADMIN, GROUPS, Map.of());
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @jakarta.inject.Inject
    io.quiver.audit.AuditLog auditLog;

    static final String AUDIT = """
            query($f: AuditFilter, $n: Int, $a: BigInteger) { auditLog(filter: $f, first: $n, after: $a) {
              id at principal keyName address requestId action target outcome detail } }""";

    @Test
    void everyChangeIsAuditedWithWhoWhenWhereAndTheOutcome() {
        String writer = create(unique("auditw"), "WRITER", null);
        String writerId = "key:" + ApiKeyFormat.parse(writer).id();
        String entityName = unique("aud_customer");
        String g = unique("aud_group");
        String register = "mutation($entities: [EntityInput], $groups: [FeatureGroupInput]) { register(entities: $entities, groups: $groups) { groups { action } } }";
        Map<String, Object> registration = Map.of("entities", List.of(entity(entityName, "customer_id", "BIGINT")), "groups",
                List.of(new HashMap<>(Map.of("name", g, "entities", List.of(entityName), "eventTimestampColumn", "ts", "features",
                        List.of(feature("age", "INT"))))));
        Response registered = graphql(ADMIN, "Authorization", register, registration);
        String requestId = registered.header("X-Request-Id");
        assertThat(as(writer, register, registration).getString("errors[0].extensions.code")).isEqualTo("FORBIDDEN");
        ok(writer, "mutation($g: String!) { write(group: $g, rows: [{customer_id: 1, ts: \"2026-01-01T00:00:00Z\", age: 41}]) { rowsWritten } }",
                Map.of("g", g));
        // a failing change leaves a FAILED entry and no SUCCEEDED one (its transaction rolled back with its audit row)
        JsonPath bad = as(writer, "mutation($g: String!) { write(group: $g, rows: [{customer_id: 1, ts: \"2026-01-01T00:00:00Z\", age: \"old\"}]) { rowsWritten } }",
                Map.of("g", g));
        assertThat(code(bad)).isEqualTo("SCHEMA_VALIDATION_FAILED");
        ok(ADMIN, "mutation($g: String!) { deleteFeatureGroup(name: $g) { deletedVersions } }", Map.of("g", g));

        List<Map<String, Object>> entries = ok(ADMIN, AUDIT, Map.of("f", Map.of("target", g), "n", 50)).getList("data.auditLog");
        assertThat(entries).extracting(e -> e.get("action") + " " + e.get("outcome") + " " + e.get("principal")).containsExactly(
                "DELETE_GROUP SUCCEEDED key:bootstrap001",
                "WRITE FAILED " + writerId,
                "WRITE SUCCEEDED " + writerId,
                "REGISTER SUCCEEDED key:bootstrap001");
        Map<String, Object> reg = entries.get(3);
        assertThat(reg.get("requestId")).isEqualTo(requestId);
        assertThat(reg.get("address")).isEqualTo("127.0.0.1");
        assertThat(reg.get("keyName")).isEqualTo("bootstrap-admin");
        assertThat((String) reg.get("detail")).contains("group " + g + "@1 CREATED");
        assertThat((String) entries.get(1).get("detail")).contains("SCHEMA_VALIDATION_FAILED");

        // the refused registration is there too, under the writer, as DENIED; filters and pages combine
        List<Map<String, Object>> denied = ok(ADMIN, AUDIT, Map.of("f", Map.of("principal", writerId, "outcome", "DENIED"), "n", 10))
                .getList("data.auditLog");
        assertThat(denied).extracting(e -> e.get("action")).containsExactly("REGISTER");
        List<Map<String, Object>> page1 = ok(ADMIN, AUDIT, Map.of("f", Map.of("principal", writerId), "n", 2)).getList("data.auditLog");
        Object last = page1.get(1).get("id");
        List<Map<String, Object>> page2 = ok(ADMIN, AUDIT, Map.of("f", Map.of("principal", writerId), "n", 2, "a", last)).getList("data.auditLog");
        assertThat(page1).hasSize(2);
        assertThat(page2).isNotEmpty().allSatisfy(e -> assertThat(((Number) e.get("id")).longValue()).isLessThan(((Number) last).longValue()));
        // key administration is audited; readers of the trail are admins only
        assertThat(ok(ADMIN, AUDIT, Map.of("f", Map.of("action", "CREATE_API_KEY", "target", ApiKeyFormat.parse(writer).id()), "n", 5))
                .getList("data.auditLog")).hasSize(1);
        assertThat(code(as(writer, AUDIT, Map.of()))).isEqualTo("FORBIDDEN");
        // statistics refreshes are changes too
        ok(ADMIN, register, registration);
        ok(writer, "mutation($g: String!) { refreshFeatures(group: $g) { rowCount } }", Map.of("g", g));
        assertThat(ok(ADMIN, AUDIT, Map.of("f", Map.of("target", g, "action", "REFRESH_FEATURES"), "n", 5)).getList("data.auditLog"))
                .hasSize(1);
    }

    @io.quarkus.test.common.http.TestHTTPResource("/graphql")
    java.net.URI graphqlUri;

    @Test
    void subscriptionsNeedAKeyToo() throws Exception {
        String entityName = unique("sub_customer");
        String g = unique("sub_group");
        String register = "mutation($entities: [EntityInput], $groups: [FeatureGroupInput]) { register(entities: $entities, groups: $groups) { groups { action } } }";
        ok(ADMIN, register, Map.of("entities", List.of(entity(entityName, "customer_id", "BIGINT")), "groups",
                List.of(new HashMap<>(Map.of("name", g, "entities", List.of(entityName), "eventTimestampColumn", "ts", "features",
                        List.of(feature("age", "INT")))))));
        ok(ADMIN, "mutation($g: String!) { write(group: $g, rows: [{customer_id: 1, ts: \"2026-01-01T00:00:00Z\", age: 41}]) { rowsWritten } }",
                Map.of("g", g));
        long job = ok(ADMIN, "mutation($g: String!) { materialize(group: $g, start: \"2025-01-01T00:00:00Z\", end: \"2027-01-01T00:00:00Z\", wait: true) { id status } }", Map.of("g", g))
                .getLong("data.materialize.id");
        String progress = "subscription { materializationProgress(jobId: " + job + ") { status entities } }";

        String reader = create(unique("subreader"), "READER", null);
        List<com.fasterxml.jackson.databind.JsonNode> seen = io.quiver.support.GraphQLSubscription.collect(graphqlUri, progress,
                Map.of("X-API-Key", reader));
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(seen.size() - 1).path("data").path("materializationProgress").path("status").asText()).isEqualTo("SUCCEEDED");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.quiver.support.GraphQLSubscription.collect(graphqlUri, progress))
                .hasMessageContaining("UNAUTHENTICATED");
        // a browser offers the key as a subprotocol: the same answer, and a wrong key is refused the same way
        List<com.fasterxml.jackson.databind.JsonNode> viaProtocol = io.quiver.support.GraphQLSubscription.collect(graphqlUri, progress,
                Map.of(), List.of("x-api-key." + reader));
        assertThat(viaProtocol.get(viaProtocol.size() - 1).path("data").path("materializationProgress").path("status").asText()).isEqualTo("SUCCEEDED");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.quiver.support.GraphQLSubscription.collect(graphqlUri, progress, Map.of(),
                List.of("x-api-key.qvk_nope0000000_" + "c".repeat(40)))).hasMessageContaining("UNAUTHENTICATED");
        // the socket carries subscriptions only: its caller was checked once, when it opened
        String answer;
        try {
            answer = io.quiver.support.GraphQLSubscription.collect(graphqlUri, "query { me { principal } }", Map.of("X-API-Key", reader)).toString();
        } catch (java.util.concurrent.ExecutionException e) {
            answer = e.getMessage();
        }
        assertThat(answer).contains("carries subscriptions only").doesNotContain("key:");
    }

    @Test
    void aChangeCannotBeAuditedOutsideItsTransaction() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> auditLog.changed("TEST", "x", "y"))
                .isInstanceOf(jakarta.transaction.TransactionalException.class);
    }

    @Test
    void graphiqlAndIntrospectionAreOffUnlessAskedFor() {
        given().when().get("/q/graphql-ui/").then().statusCode(404);
        JsonPath introspection = as(ADMIN, "{ __schema { queryType { name } } }", Map.of());
        assertThat(introspection.getList("errors")).isNotEmpty();
        ok(ADMIN, GROUPS, Map.of());
    }

    @Test
    void eachRoleMayDoWhatItIncludesAndIsToldWhatItLacks() {
        String reader = create(unique("reader"), "READER", null);
        String writer = create(unique("writer"), "WRITER", null);
        String entityName = unique("sec_customer");
        String g = unique("sec_group");
        Map<String, Object> registration = Map.of("entities", List.of(entity(entityName, "customer_id", "BIGINT")), "groups",
                List.of(new HashMap<>(Map.of("name", g, "entities", List.of(entityName), "eventTimestampColumn", "ts", "features",
                        List.of(feature("age", "INT"))))));
        String register = "mutation($entities: [EntityInput], $groups: [FeatureGroupInput]) { register(entities: $entities, groups: $groups) { groups { action } } }";

        // registration is for admins
        JsonPath denied = as(writer, register, registration);
        assertThat(code(denied)).isEqualTo("FORBIDDEN");
        assertThat(message(denied)).contains("'register' needs the admin role").contains("has the role writer");
        ok(ADMIN, register, registration);

        // writing is for writers (and admins), not readers
        String write = "mutation($g: String!) { write(group: $g, rows: [{customer_id: 1, ts: \"2026-01-01T00:00:00Z\", age: 41}]) { rowsWritten } }";
        JsonPath readerWrites = as(reader, write, Map.of("g", g));
        assertThat(code(readerWrites)).isEqualTo("FORBIDDEN");
        assertThat(message(readerWrites)).contains("'write' needs the writer role").contains("has the role reader");
        assertThat(ok(writer, write, Map.of("g", g)).getInt("data.write.rowsWritten")).isEqualTo(1);

        // reading is for everyone with a key, through GraphQL, REST and the Feast endpoint; X-API-Key works as well
        String read = "query($f: [String!]!) { onlineFeatures(features: $f, entities: [{customer_id: 1}]) { columns { values } } }";
        assertThat(ok(reader, read, Map.of("f", List.of(g + ".age"))).<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(41);
        assertThat(graphql(reader, "X-API-Key", GROUPS, Map.of()).then().statusCode(200).extract().jsonPath().getList("errors")).isNull();
        given().header("X-API-Key", reader).when().get("/api/v1/feature-groups/" + g).then().statusCode(200);
        given().header("Authorization", "Bearer " + reader).contentType(ContentType.JSON)
                .body(Map.of("features", List.of(g + ":age"), "entities", Map.of("customer_id", List.of(1)))).when().post("/get-online-features")
                .then().statusCode(200);
        // a reader's bulk upload is refused before its body matters
        given().header("X-API-Key", reader).contentType("application/vnd.apache.parquet").body(new byte[] { 1, 2, 3 })
                .when().post("/api/v1/groups/" + g + "/data").then().statusCode(403)
                .body("code", org.hamcrest.Matchers.equalTo("FORBIDDEN"));

        // the caller as the service sees it; key administration is for admins
        JsonPath me = ok(writer, "{ me { principal name roles open } }", Map.of());
        assertThat(me.getList("data.me.roles")).containsExactly("WRITER");
        assertThat(me.getBoolean("data.me.open")).isFalse();
        assertThat(code(as(writer, "{ apiKeys { id } }", Map.of()))).isEqualTo("FORBIDDEN");
    }

    @Test
    void keysAreListedWithoutSecretsAndExpireRotateAndRevoke() throws Exception {
        String name = unique("lifecycle");
        String key = create(name, "READER", null);
        String id = ApiKeyFormat.parse(key).id();
        JsonPath listed = ok(ADMIN, "{ apiKeys { id name owner roles status createdBy lastUsedAt } }", Map.of());
        assertThat(listed.getList("data.apiKeys.id")).contains(id);
        assertThat(listed.prettify()).doesNotContain(ApiKeyFormat.parse(key).secret());
        assertThat(listed.getString("data.apiKeys.find { it.id == '" + id + "' }.createdBy")).isEqualTo("key:bootstrap001");

        // rotated: the old text stops working, the new one works
        ok(key, GROUPS, Map.of());
        String rotated = ok(ADMIN, "mutation($id: String!) { rotateApiKey(id: $id) { key } }", Map.of("id", id)).getString("data.rotateApiKey.key");
        assertThat(rotated).isNotEqualTo(key).startsWith("qvk_" + id + "_");
        JsonPath old = as(key, GROUPS, Map.of());
        assertThat(code(old)).isEqualTo("UNAUTHENTICATED");
        assertThat(message(old)).contains("if it was rotated, use the new one");
        ok(rotated, GROUPS, Map.of());

        // revoked: refused from then on
        assertThat(ok(ADMIN, "mutation($id: String!) { revokeApiKey(id: $id) { status } }", Map.of("id", id)).getString("data.revokeApiKey.status"))
                .isEqualTo("REVOKED");
        JsonPath revoked = as(rotated, GROUPS, Map.of());
        assertThat(code(revoked)).isEqualTo("UNAUTHENTICATED");
        assertThat(message(revoked)).contains("was revoked");

        // expired: works until its time, then refused
        String expiring = create(unique("expiring"), "READER", Instant.now().plusMillis(1_500));
        ok(expiring, GROUPS, Map.of());
        Thread.sleep(1_600);
        JsonPath expired = as(expiring, GROUPS, Map.of());
        assertThat(code(expired)).isEqualTo("UNAUTHENTICATED");
        assertThat(message(expired)).contains("expired at");

        // bad input is refused clearly
        assertThat(message(as(ADMIN, CREATE, new HashMap<>(Map.of("n", "", "r", List.of("READER")))))).contains("name of 1 to 100 characters");
        Map<String, Object> past = new HashMap<>(Map.of("n", "x", "r", List.of("READER")));
        past.put("e", "2020-01-01T00:00:00Z");
        assertThat(message(as(ADMIN, CREATE, past))).contains("in the past");

        // no key text, whole or secret, ever reaches the log
        String log = Files.readString(LOG);
        for (String text : List.of(key, rotated, expiring, ADMIN)) {
            assertThat(log).doesNotContain(text).doesNotContain(ApiKeyFormat.parse(text).secret());
        }
    }
}
