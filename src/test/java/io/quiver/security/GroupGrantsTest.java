package io.quiver.security;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Query;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.smallrye.graphql.api.Subscription;
import jakarta.inject.Inject;

/**
 * Role x operation x grant: six callers (readers and writers in and out of teams and grants, an admin) against
 * groups that are open, owned by a team, and covered by grants through a name pattern and a tag; every GraphQL
 * operation and REST endpoint (nested fields included) is sent by every caller, and each answer is checked against
 * what its role and grants allow: a full answer, or FORBIDDEN saying which permission is missing. Lists never name a
 * group the caller may not read. A test fails when an operation is added without a place in the matrix.
 */
@QuarkusTest
@TestProfile(SecurityTest.Secured.class)
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class GroupGrantsTest {

    static final String ADMIN_KEY = SecurityTest.ADMIN;

    /** The callers: their role, teams and the grants naming them decide what they may do. */
    enum Who {
        READER, READER_GROWTH, WRITER, WRITER_FRAUD, WRITER_NAMED, ADMIN
    }

    /** The groups: open (no owner, no grant), owned by team fraud, covered by grants (pattern + tag). */
    enum Kind {
        OPEN, OWNED, GRANTED
    }

    /** What each caller may do with each kind of group; the expectation, written out rather than computed. */
    static boolean mayRead(Who w, Kind k) {
        return switch (k) {
            case OPEN -> true;
            case OWNED -> w == Who.WRITER_FRAUD || w == Who.ADMIN;
            case GRANTED -> w == Who.READER_GROWTH || w == Who.WRITER_NAMED || w == Who.ADMIN;
        };
    }

    static boolean mayWrite(Who w, Kind k) {
        boolean writer = w == Who.WRITER || w == Who.WRITER_FRAUD || w == Who.WRITER_NAMED || w == Who.ADMIN;
        return writer && switch (k) {
            case OPEN -> true;
            case OWNED -> w == Who.WRITER_FRAUD || w == Who.ADMIN;
            case GRANTED -> w == Who.WRITER_NAMED || w == Who.ADMIN;
        };
    }

    static final Map<Who, String> KEYS = new LinkedHashMap<>();
    static final Map<Kind, String> GROUPS = new LinkedHashMap<>();
    static final Map<Kind, String> VIRTUAL = new LinkedHashMap<>();
    static String entity;
    static String prefix;

    @Inject
    ObjectStore objects;

    @TestHTTPResource("/graphql")
    URI graphqlUri;

    // ---- helpers

    static Response post(String key, String document, Map<String, Object> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", document);
        body.put("variables", variables);
        var request = given().contentType(ContentType.JSON).body(body);
        if (key != null) {
            request = request.header("Authorization", "Bearer " + key);
        }
        return request.when().post("/graphql");
    }

    static JsonPath ok(String key, String document, Map<String, Object> variables) {
        JsonPath json = post(key, document, variables).then().statusCode(200).extract().jsonPath();
        assertThat(json.getList("errors")).as("errors of %s", document).isNull();
        return json;
    }

    /** null when the operation answered without error; else its code and message. */
    static String graphqlOutcome(String key, String document, Map<String, Object> variables) {
        JsonPath json = post(key, document, variables).then().extract().jsonPath();
        List<Object> errors = json.getList("errors");
        return errors == null || errors.isEmpty() ? null : json.getString("errors[0].extensions.code") + ": " + json.getString("errors[0].message");
    }

    /** null for a 2xx answer; else FORBIDDEN or the status and body. */
    static String restOutcome(Response r) {
        if (r.statusCode() / 100 == 2) {
            return null;
        }
        String body = r.asString();
        return r.statusCode() == 403 ? "FORBIDDEN: " + r.jsonPath().getString("detail") : r.statusCode() + ": " + body;
    }

    static String register(String key, Map<String, Object> variables) {
        return graphqlOutcome(key, """
                mutation($entities: [EntityInput], $groups: [FeatureGroupInput], $services: [FeatureServiceInput]) {
                  register(entities: $entities, groups: $groups, featureServices: $services) { groups { action } } }""", variables);
    }

    static Map<String, Object> batchGroup(String name, List<String> tags) {
        return new HashMap<>(Map.of("name", name, "entities", List.of(entity), "eventTimestampColumn", "ts", "onlineEnabled", true, "tags", tags,
                "features", List.of(feature("age", "INT"))));
    }

    static String service(String group) {
        return "svc_" + group;
    }

    @BeforeEach
    void world() {
        if (!KEYS.isEmpty()) {
            return;
        }
        KEYS.put(Who.ADMIN, ADMIN_KEY);
        Map<Who, String> ids = new HashMap<>();
        for (Who w : List.of(Who.READER, Who.READER_GROWTH, Who.WRITER, Who.WRITER_FRAUD, Who.WRITER_NAMED)) {
            String role = w.name().startsWith("READER") ? "READER" : "WRITER";
            List<String> teams = w == Who.READER_GROWTH ? List.of("growth") : w == Who.WRITER_FRAUD ? List.of("fraud", "ops") : List.of();
            JsonPath created = ok(ADMIN_KEY, """
                    mutation($n: String!, $r: [Role!]!, $t: [String]) { createApiKey(name: $n, roles: $r, teams: $t) { key apiKey { id teams } } }""",
                    Map.of("n", unique("grants-" + w.name().toLowerCase()), "r", List.of(role), "t", teams));
            assertThat(created.getList("data.createApiKey.apiKey.teams")).containsExactlyElementsOf(teams);
            KEYS.put(w, created.getString("data.createApiKey.key"));
            ids.put(w, created.getString("data.createApiKey.apiKey.id"));
        }
        prefix = unique("gr");
        entity = prefix + "_customer";
        GROUPS.put(Kind.OPEN, prefix + "_open");
        GROUPS.put(Kind.OWNED, prefix + "_owned");
        GROUPS.put(Kind.GRANTED, prefix + "_pii_a");
        VIRTUAL.put(Kind.OPEN, prefix + "_vopen");
        VIRTUAL.put(Kind.OWNED, prefix + "_vowned");
        VIRTUAL.put(Kind.GRANTED, prefix + "_pii_v");

        // a small lake for the virtual groups
        String lake = "lake/" + prefix + "/";
        objects.put(lake + "part.parquet", Columnar.parquet("SELECT c::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS ts, "
                + "CAST(c AS INTEGER) AS age FROM range(1, 4) a(c)"));
        ok(ADMIN_KEY, "mutation($s: DataSourceInput!) { registerDataSource(dataSource: $s) { name } }",
                Map.of("s", Map.of("name", prefix + "_lake", "layer", "GOLD", "location", lake, "format", "PARQUET")));

        List<Map<String, Object>> groups = new ArrayList<>();
        List<Map<String, Object>> services = new ArrayList<>();
        for (Kind k : Kind.values()) {
            List<String> tags = k == Kind.GRANTED ? List.of("pii", "daily") : List.of("daily");
            groups.add(batchGroup(GROUPS.get(k), tags));
            Map<String, Object> virtual = batchGroup(VIRTUAL.get(k), tags);
            virtual.put("mode", "VIRTUALIZED");
            virtual.put("onlineEnabled", false);
            virtual.put("queryTemplate", "SELECT customer_id, ts, age FROM {{gold." + prefix + "_lake}}");
            groups.add(virtual);
            services.add(Map.of("name", service(GROUPS.get(k)), "features", List.of(GROUPS.get(k))));
        }
        // a group pattern alone does not cover a group without the tag: this one stays open
        groups.add(batchGroup(prefix + "_pii_untagged", List.of()));
        assertThat(register(ADMIN_KEY, Map.of("entities", List.of(entity(entity, "customer_id", "BIGINT")), "groups", groups, "services", services)))
                .isNull();
        for (String g : GROUPS.values()) {
            ok(ADMIN_KEY, "mutation($g: String!) { write(group: $g, rows: [{customer_id: 1, ts: \"2026-01-01T00:00:00Z\", age: 41}]) { rowsWritten } }",
                    Map.of("g", g));
        }
        // owned by fraud; the pii groups: growth reads, the named writer writes
        for (Kind k : List.of(Kind.OWNED)) {
            assertThat(ok(ADMIN_KEY, "mutation($g: String!) { setGroupOwnerTeam(group: $g, team: \"fraud\") }", Map.of("g", GROUPS.get(k)))
                    .getString("data.setGroupOwnerTeam")).isEqualTo("fraud");
            ok(ADMIN_KEY, "mutation($g: String!) { setGroupOwnerTeam(group: $g, team: \"fraud\") }", Map.of("g", VIRTUAL.get(k)));
        }
        String grant = """
                mutation($n: String!, $g: String!, $t: [String], $p: [String], $m: [String], $a: GroupAction!) {
                  grantAccess(name: $n, groups: $g, tags: $t, principals: $p, teams: $m, action: $a) { name groups tags principals teams action createdBy } }""";
        JsonPath readGrant = ok(ADMIN_KEY, grant, Map.of("n", prefix + "-pii-read", "g", prefix + "_pii_*", "t", List.of("pii"), "p", List.of(),
                "m", List.of("growth"), "a", "READ"));
        assertThat(readGrant.getString("data.grantAccess.createdBy")).startsWith("key:");
        ok(ADMIN_KEY, grant, Map.of("n", prefix + "-pii-write", "g", prefix + "_pii_?", "t", List.of("pii"), "p", List.of("key:" + ids.get(Who.WRITER_NAMED)),
                "m", List.of(), "a", "WRITE"));
    }

    // ---- the operations that touch one group, and what they need

    record Op(String name, boolean write, boolean virtual, BiFunction<String, String, String> send) {
    }

    static final String ROW = "{customer_id: 1, event_timestamp: \"2026-02-01T00:00:00Z\"}";

    static List<Op> groupOperations() {
        List<Op> ops = new ArrayList<>();
        // reads through GraphQL, with every nested field of a group
        ops.add(new Op("featureGroup", false, false, (key, g) -> graphqlOutcome(key, """
                query($g: String!) { featureGroup(name: $g) { name ownerTeam versions mode servedAs virtualTable tags
                  features { name effectiveConfig { key value } } entities { name } effectiveConfig { key value } statistics { rowCount }
                  strategy { servedAs } } }""", Map.of("g", g))));
        ops.add(new Op("lineage", false, false, (key, g) -> graphqlOutcome(key, "query($f: String!) { lineage(feature: $f) { node downstreamFeatures } }",
                Map.of("f", g + ".age"))));
        ops.add(new Op("onlineFeatures", false, false, (key, g) -> graphqlOutcome(key,
                "query($f: [String!]!) { onlineFeatures(features: $f, entities: [{customer_id: 1}]) { columns { name values } } }",
                Map.of("f", List.of(g + ".age")))));
        ops.add(new Op("historicalFeatures", false, false, (key, g) -> graphqlOutcome(key,
                "query($f: [String]) { historicalFeatures(features: $f, entityRows: [" + ROW + "]) }", Map.of("f", List.of(g + ".age")))));
        ops.add(new Op("trainingSet", false, false, (key, g) -> graphqlOutcome(key,
                "query($s: String) { trainingSet(featureService: $s, entityRows: [" + ROW + "]) { rows } }", Map.of("s", service(g)))));
        ops.add(new Op("featureService", false, false, (key, g) -> graphqlOutcome(key,
                "query($s: String!) { featureService(name: $s) { name features { name } } }", Map.of("s", service(g)))));
        ops.add(new Op("snapshots", false, false, (key, g) -> graphqlOutcome(key, "query($g: String!) { snapshots(group: $g) { id files { key } } }",
                Map.of("g", g))));
        ops.add(new Op("materializationJobs", false, false, (key, g) -> graphqlOutcome(key,
                "query($g: String!) { materializationJobs(group: $g) { id } }", Map.of("g", g))));
        ops.add(new Op("accessMetrics", false, false, (key, g) -> graphqlOutcome(key, "query($g: String!) { accessMetrics(group: $g) { group reads } }",
                Map.of("g", g))));
        ops.add(new Op("accessSeries", false, false, (key, g) -> graphqlOutcome(key, "query($g: String!) { accessSeries(group: $g) { from reads } }",
                Map.of("g", g))));
        ops.add(new Op("recommendation", false, false, (key, g) -> graphqlOutcome(key, "query($g: String!) { recommendation(group: $g) { group } }",
                Map.of("g", g))));
        ops.add(new Op("strategyHistory", false, false, (key, g) -> graphqlOutcome(key, "query($g: String!) { strategyHistory(group: $g) { kind } }",
                Map.of("g", g))));
        ops.add(new Op("queryVirtualTable", false, true, (key, g) -> graphqlOutcome(key,
                "query($t: String!) { queryVirtualTable(table: $t, limit: 5) }", Map.of("t", "features_" + g))));
        // reads through REST
        ops.add(new Op("GET /api/v1/feature-groups/{name}", false, false, (key, g) -> restOutcome(given().header("X-API-Key", key)
                .get("/api/v1/feature-groups/" + g))));
        ops.add(new Op("GET /api/v1/features/{reference}", false, false, (key, g) -> restOutcome(given().header("X-API-Key", key)
                .get("/api/v1/features/" + g + ".age"))));
        ops.add(new Op("POST /get-online-features", false, false, (key, g) -> restOutcome(given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("features", List.of(g + ":age"), "entities", Map.of("customer_id", List.of(1)))).post("/get-online-features"))));
        ops.add(new Op("POST /api/v1/historical-features (JSON)", false, false, (key, g) -> restOutcome(given().header("X-API-Key", key)
                .contentType(ContentType.JSON).body(Map.of("features", List.of(g + ".age"), "entityRows",
                        List.of(Map.of("customer_id", 1, "event_timestamp", "2026-02-01T00:00:00Z")))).post("/api/v1/historical-features"))));
        ops.add(new Op("POST /api/v1/historical-features (Arrow)", false, false, (key, g) -> restOutcome(given().header("X-API-Key", key)
                .contentType(Columnar.ARROW).queryParam("features", g + ".age")
                .body(Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-02-01 00:00:00+00' AS event_timestamp"))
                .post("/api/v1/historical-features"))));
        ops.add(new Op("POST /api/v1/historical-features (multipart)", false, false, (key, g) -> restOutcome(given().header("X-API-Key", key)
                .multiPart("request", Map.of("features", List.of(g + ".age")), "application/json")
                .multiPart("entities", "entities.parquet",
                        Columnar.parquet("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-02-01 00:00:00+00' AS event_timestamp"), Columnar.PARQUET)
                .post("/api/v1/historical-features"))));
        ops.add(new Op("POST /api/v1/serving/online", false, false, (key, g) -> restOutcome(given().header("X-API-Key", key).contentType(ContentType.JSON)
                .body(Map.of("feature_sets", List.of(g), "entities", Map.of("customer_id", List.of(1)))).post("/api/v1/serving/online"))));
        ops.add(new Op("POST /api/v1/serving/historical", false, false, (key, g) -> restOutcome(given().header("X-API-Key", key)
                .contentType(ContentType.JSON).body(Map.of("feature_sets", List.of(g), "entity_df", Map.of("columns",
                        List.of("customer_id", "event_timestamp"), "data", List.of(List.of(1, "2026-02-01T00:00:00Z")))))
                .post("/api/v1/serving/historical"))));
        ops.add(new Op("POST /api/v1/virtual-tables/{table}/query", false, true, (key, g) -> restOutcome(given().header("X-API-Key", key)
                .contentType(ContentType.JSON).body(Map.of("limit", 5)).post("/api/v1/virtual-tables/features_" + g + "/query"))));
        // writes
        ops.add(new Op("write", true, false, (key, g) -> graphqlOutcome(key,
                "mutation($g: String!) { write(group: $g, rows: [{customer_id: 2, ts: \"2026-01-02T00:00:00Z\", age: 7}]) { rowsWritten } }",
                Map.of("g", g))));
        ops.add(new Op("POST /api/v1/groups/{group}/data", true, false, (key, g) -> restOutcome(given().header("X-API-Key", key)
                .contentType(Columnar.ARROW).body(Columnar.arrow("SELECT 3::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-03 00:00:00+00' AS ts, 5::INTEGER AS age"))
                .post("/api/v1/groups/" + g + "/data"))));
        ops.add(new Op("materialize", true, false, (key, g) -> graphqlOutcome(key, """
                mutation($g: String!) { materialize(group: $g, start: "2025-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z", wait: true) { status } }""",
                Map.of("g", g))));
        ops.add(new Op("materializeIncremental", true, false, (key, g) -> graphqlOutcome(key,
                "mutation($g: String!) { materializeIncremental(group: $g, wait: true) { status } }", Map.of("g", g))));
        ops.add(new Op("refreshFeatures", true, false, (key, g) -> graphqlOutcome(key,
                "mutation($g: String!) { refreshFeatures(group: $g) { rowCount } }", Map.of("g", g))));
        return ops;
    }

    @Test
    void everyCallerGetsWhatItsRoleAndGrantsAllowOnEveryGroupOperation() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Op op : groupOperations()) {
            for (Kind k : Kind.values()) {
                String g = (op.virtual() ? VIRTUAL : GROUPS).get(k);
                for (Who w : Who.values()) {
                    boolean allowed = op.write() ? mayWrite(w, k) : mayRead(w, k);
                    String outcome = sendWithinRateLimit(op, KEYS.get(w), g);
                    checked++;
                    if (allowed ? outcome != null : outcome == null || !outcome.startsWith("FORBIDDEN")) {
                        wrong.add(op.name() + " by " + w + " on the " + k + " group: expected " + (allowed ? "an answer" : "FORBIDDEN") + ", got "
                                + (outcome == null ? "an answer" : outcome));
                    }
                    if (outcome != null && outcome.startsWith("FORBIDDEN") && (!op.write() || w != Who.READER && w != Who.READER_GROWTH)) {
                        // a grant refusal says which permission is missing and what to ask for
                        if (!outcome.contains("may not " + (op.write() ? "write" : "read") + " feature group '" + g + "'")
                                || !outcome.contains("grant")) {
                            wrong.add(op.name() + " by " + w + " on the " + k + " group: the refusal does not say what is missing: " + outcome);
                        }
                    }
                }
            }
        }
        assertThat(wrong).as("%d combinations checked", checked).isEmpty();
    }

    /**
     * Sends the operation; an answer refused by the rate limit (60 requests per key per 10 s in this profile, which a
     * fast machine reaches) is sent again once the limit's period has passed: this matrix checks grants, not the limit.
     */
    private static String sendWithinRateLimit(Op op, String key, String g) {
        String outcome = op.send().apply(key, g);
        for (int attempt = 0; attempt < 3 && outcome != null && outcome.contains("RATE_LIMITED"); attempt++) {
            try {
                Thread.sleep(10_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            outcome = op.send().apply(key, g);
        }
        return outcome;
    }

    @Test
    void listsAndCountsNameOnlyTheGroupsTheCallerMayRead() {
        for (Who w : Who.values()) {
            String key = KEYS.get(w);
            Set<String> expected = new TreeSet<>();
            Set<String> expectedVirtual = new TreeSet<>();
            for (Kind k : Kind.values()) {
                if (mayRead(w, k)) {
                    expected.add(GROUPS.get(k));
                    expectedVirtual.add(VIRTUAL.get(k));
                }
            }
            Set<String> all = new TreeSet<>(expected);
            all.addAll(expectedVirtual);
            all.add(prefix + "_pii_untagged");

            JsonPath groups = ok(key, "query($s: String) { featureGroups(filter: {search: $s}, first: 50) { totalCount nodes { name } } }",
                    Map.of("s", prefix));
            assertThat(new TreeSet<>(groups.<String>getList("data.featureGroups.nodes.name"))).as("featureGroups of %s", w).isEqualTo(all);
            assertThat(groups.getInt("data.featureGroups.totalCount")).as("its count").isEqualTo(all.size());

            JsonPath features = ok(key, "query($g: String) { features(filter: {group: $g}, first: 50) { totalCount nodes { group } } }",
                    Map.of("g", GROUPS.get(Kind.OWNED)));
            assertThat(features.getInt("data.features.totalCount")).as("features of the owned group for %s", w)
                    .isEqualTo(mayRead(w, Kind.OWNED) ? 1 : 0);

            Set<String> ours = names(ok(key, "query($p: String) { allAccessMetrics(first: 20, after: $p) { group } }", Map.of("p", prefix))
                    .getList("data.allAccessMetrics.group"));
            assertThat(ours).as("allAccessMetrics of %s", w).isEqualTo(all);
            ours = names(ok(key, "query($p: String) { recommendations(first: 20, after: $p) { group } }", Map.of("p", prefix))
                    .getList("data.recommendations.group"));
            assertThat(ours).as("recommendations of %s", w).isEqualTo(all);
            ours = names(ok(key, "query($p: String) { featureServices(filter: {search: $p}, first: 20) { name } }", Map.of("p", prefix)).<String>getList("data.featureServices.name").stream()
                    .map(s -> s.substring("svc_".length())).toList());
            assertThat(ours).as("featureServices of %s", w).isEqualTo(expected);
            ours = names(ok(key, "{ virtualTables { group } }", Map.of()).getList("data.virtualTables.group"));
            assertThat(ours).as("virtualTables of %s", w).isEqualTo(expectedVirtual);
            // lineage of an open feature does not name the services over hidden groups
            JsonPath lineage = ok(key, "query($f: String!) { lineage(feature: $f) { featureServices } }", Map.of("f", GROUPS.get(Kind.OPEN) + ".age"));
            assertThat(lineage.<String>getList("data.lineage.featureServices")).containsExactly(service(GROUPS.get(Kind.OPEN)) + "@1");
            // a mistyped name is not answered with the name of a group the caller may not see
            String typo = GROUPS.get(Kind.OWNED).substring(0, GROUPS.get(Kind.OWNED).length() - 1) + "x";
            String missing = graphqlOutcome(key, "query($g: String!) { featureGroup(name: $g) { name } }", Map.of("g", typo));
            assertThat(missing).as("suggestions to %s", w).startsWith("FEATURE_GROUP_NOT_FOUND");
            assertThat(missing.contains(GROUPS.get(Kind.OWNED))).as("suggestions to %s: %s", w, missing).isEqualTo(mayRead(w, Kind.OWNED));
        }
    }

    private static Set<String> names(List<String> list) {
        return list.stream().filter(n -> n.startsWith(prefix + "_")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aSubscriptionFollowsOnlyJobsOfGroupsTheCallerMayRead() throws Exception {
        long job = ok(ADMIN_KEY, """
                mutation($g: String!) { materialize(group: $g, start: "2025-01-01T00:00:00Z", end: "2027-01-01T00:00:00Z", wait: true) { id } }""",
                Map.of("g", GROUPS.get(Kind.OWNED))).getLong("data.materialize.id");
        String progress = "subscription { materializationProgress(jobId: " + job + ") { status } }";
        var seen = io.quiver.support.GraphQLSubscription.collect(graphqlUri, progress, Map.of("X-API-Key", KEYS.get(Who.WRITER_FRAUD)));
        assertThat(seen.get(seen.size() - 1).path("data").path("materializationProgress").path("status").asText()).isEqualTo("SUCCEEDED");
        String refused;
        try {
            refused = io.quiver.support.GraphQLSubscription.collect(graphqlUri, progress, Map.of("X-API-Key", KEYS.get(Who.READER))).toString();
        } catch (java.util.concurrent.ExecutionException e) {
            refused = e.getMessage();
        }
        assertThat(refused).contains("FORBIDDEN").contains("materialization job " + job + " loads a feature group you may not read")
                .doesNotContain(GROUPS.get(Kind.OWNED)).doesNotContain("SUCCEEDED");
    }

    @Test
    void grantsAreManagedByAdminsAuditedAndTakeEffectAtOnceForNewVersionsToo() {
        String g = GROUPS.get(Kind.OWNED);
        String reader = KEYS.get(Who.READER);
        String read = "query($g: String!) { featureGroup(name: $g) { name version } }";
        assertThat(graphqlOutcome(reader, read, Map.of("g", g))).startsWith("FORBIDDEN");
        // only admins manage grants
        String grant = "mutation($n: String!, $g: String!) { grantAccess(name: $n, groups: $g, principals: [\"oidc:someone\"], action: READ) { name } }";
        assertThat(graphqlOutcome(KEYS.get(Who.WRITER_FRAUD), grant, Map.of("n", prefix + "-x", "g", g))).startsWith("FORBIDDEN");
        assertThat(graphqlOutcome(KEYS.get(Who.WRITER_FRAUD), "{ grants { name } }", Map.of())).startsWith("FORBIDDEN");
        assertThat(graphqlOutcome(KEYS.get(Who.WRITER_FRAUD), "mutation($g: String!) { setGroupOwnerTeam(group: $g, team: \"ops\") }",
                Map.of("g", g))).startsWith("FORBIDDEN");
        // bad grants are refused with what to fix
        assertThat(graphqlOutcome(ADMIN_KEY, grant, Map.of("n", prefix + "-bad", "g", "Fraud/*"))).startsWith("INVALID_ARGUMENT")
                .contains("groups must be");
        assertThat(graphqlOutcome(ADMIN_KEY, "mutation($g: String!) { grantAccess(name: \"nobody\", groups: $g, action: READ) { name } }",
                Map.of("g", g))).startsWith("INVALID_ARGUMENT").contains("at least one principal");
        assertThat(graphqlOutcome(ADMIN_KEY, grant, Map.of("n", prefix + "-pii-read", "g", g))).startsWith("CONFLICT");

        // a new version of the group keeps its owner team: the reader is still refused, the owner team still reads it
        // (dropping a feature is a breaking change: a new version)
        assertThat(register(ADMIN_KEY, Map.of("groups", List.of(with(batchGroup(g, List.of("daily")), "features", List.of(feature("score", "DOUBLE")))))))
                .isNull();
        assertThat(graphqlOutcome(reader, read, Map.of("g", g))).startsWith("FORBIDDEN");
        assertThat(ok(KEYS.get(Who.WRITER_FRAUD), read, Map.of("g", g)).getInt("data.featureGroup.version")).isEqualTo(2);

        // a grant by principal opens it to the reader at once (this replica), and its revocation closes it again
        String readerId = ok(reader, "{ me { principal } }", Map.of()).getString("data.me.principal");
        ok(ADMIN_KEY, "mutation($n: String!, $g: String!, $p: String!) { grantAccess(name: $n, groups: $g, principals: [$p], action: READ) { name } }",
                Map.of("n", prefix + "-reader", "g", g, "p", readerId));
        assertThat(ok(reader, read, Map.of("g", g)).getInt("data.featureGroup.version")).isEqualTo(2);
        assertThat(graphqlOutcome(reader, "mutation($g: String!) { write(group: $g, rows: []) { rowsWritten } }", Map.of("g", g)))
                .as("a READ grant gives no writing, and a reader has no writer role anyway").startsWith("FORBIDDEN");
        assertThat(ok(ADMIN_KEY, "{ grants { name } }", Map.of()).<String>getList("data.grants.name")).contains(prefix + "-reader");
        ok(ADMIN_KEY, "mutation($n: String!) { revokeGrant(name: $n) { name } }", Map.of("n", prefix + "-reader"));
        assertThat(graphqlOutcome(reader, read, Map.of("g", g))).startsWith("FORBIDDEN");

        // each change is in the audit trail, by whom
        List<String> actions = ok(ADMIN_KEY, "query($t: String!) { auditLog(filter: {target: $t}, first: 50) { action principal outcome } }",
                Map.of("t", prefix)).getList("data.auditLog.action");
        assertThat(actions).contains("GRANT_ACCESS", "REVOKE_GRANT", "SET_GROUP_OWNER_TEAM");
        assertThat(ok(ADMIN_KEY, "query($t: String!) { auditLog(filter: {target: $t, outcome: \"DENIED\"}, first: 50) { action } }",
                Map.of("t", g)).<String>getList("data.auditLog.action")).contains("SET_GROUP_OWNER_TEAM");
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    // ---- completeness: every operation has its place in the matrix

    /** Operations that touch no group's data (catalog-wide or administration): role only, covered by SecurityTest and below. */
    static final Map<String, String> ROLE_ONLY = Map.ofEntries(
            Map.entry("entities", "READER"), Map.entry("dataSources", "READER"), Map.entry("dataSource", "READER"), Map.entry("me", "READER"),
            Map.entry("featureGroups", "READER"), Map.entry("features", "READER"), Map.entry("allAccessMetrics", "READER"),
            Map.entry("recommendations", "READER"), Map.entry("featureServices", "READER"), Map.entry("virtualTables", "READER"),
            Map.entry("materializationProgress", "READER"), Map.entry("refreshDataSource", "WRITER"), Map.entry("register", "ADMIN"),
            Map.entry("deleteFeatureService", "ADMIN"), Map.entry("deprecateFeatureGroup", "ADMIN"), Map.entry("deleteFeatureGroup", "ADMIN"),
            Map.entry("expireSnapshots", "ADMIN"), Map.entry("compact", "ADMIN"), Map.entry("forceStrategy", "ADMIN"),
            Map.entry("evaluateStrategy", "ADMIN"), Map.entry("applyRecommendation", "ADMIN"), Map.entry("registerDataSource", "ADMIN"),
            Map.entry("deleteDataSource", "ADMIN"), Map.entry("auditLog", "ADMIN"), Map.entry("apiKeys", "ADMIN"), Map.entry("createApiKey", "ADMIN"),
            Map.entry("rotateApiKey", "ADMIN"), Map.entry("revokeApiKey", "ADMIN"), Map.entry("grants", "ADMIN"), Map.entry("grantAccess", "ADMIN"),
            Map.entry("revokeGrant", "ADMIN"), Map.entry("setGroupOwnerTeam", "ADMIN"));

    /** Minimal documents for the role-only operations: a caller without the role is refused before the arguments matter. */
    static final Map<String, String> ROLE_ONLY_DOCUMENTS = Map.ofEntries(
            Map.entry("refreshDataSource", "mutation { refreshDataSource(name: \"nope\") { name } }"),
            Map.entry("register", "mutation { register(entities: []) { groups { action } } }"),
            Map.entry("deleteFeatureService", "mutation { deleteFeatureService(name: \"nope\") }"),
            Map.entry("deprecateFeatureGroup", "mutation { deprecateFeatureGroup(name: \"nope\") { name } }"),
            Map.entry("deleteFeatureGroup", "mutation { deleteFeatureGroup(name: \"nope\") { deletedVersions } }"),
            Map.entry("expireSnapshots", "mutation { expireSnapshots(group: \"nope\", olderThan: \"2020-01-01T00:00:00Z\") { expiredSnapshots } }"),
            Map.entry("compact", "mutation { compact(group: \"nope\") { id } }"),
            Map.entry("forceStrategy", "mutation { forceStrategy(group: \"nope\") { servedAs } }"),
            Map.entry("evaluateStrategy", "mutation { evaluateStrategy(group: \"nope\") { servedAs } }"),
            Map.entry("applyRecommendation", "mutation { applyRecommendation(group: \"nope\") { servedAs } }"),
            Map.entry("registerDataSource", "mutation { registerDataSource(dataSource: {name: \"nope\", layer: GOLD, location: \"x/\", format: PARQUET}) { name } }"),
            Map.entry("deleteDataSource", "mutation { deleteDataSource(name: \"nope\") }"),
            Map.entry("auditLog", "{ auditLog(first: 1) { id } }"),
            Map.entry("apiKeys", "{ apiKeys { id } }"),
            Map.entry("createApiKey", "mutation { createApiKey(name: \"x\", roles: [READER]) { key } }"),
            Map.entry("rotateApiKey", "mutation { rotateApiKey(id: \"nope\") { key } }"),
            Map.entry("revokeApiKey", "mutation { revokeApiKey(id: \"nope\") { id } }"),
            Map.entry("grants", "{ grants { name } }"),
            Map.entry("grantAccess", "mutation { grantAccess(name: \"x\", groups: \"zz_never_*\", teams: [\"t\"], action: READ) { name } }"),
            Map.entry("revokeGrant", "mutation { revokeGrant(name: \"nope\") { name } }"),
            Map.entry("setGroupOwnerTeam", "mutation { setGroupOwnerTeam(group: \"nope\", team: \"t\") }"));

    @Test
    void callersWithoutTheRoleAreRefusedEveryRoleOnlyOperation() {
        for (Map.Entry<String, String> e : ROLE_ONLY_DOCUMENTS.entrySet()) {
            Role needed = Role.valueOf(ROLE_ONLY.get(e.getKey()));
            for (Who w : Who.values()) {
                Role has = w == Who.ADMIN ? Role.ADMIN : w.name().startsWith("READER") ? Role.READER : Role.WRITER;
                String outcome = graphqlOutcome(KEYS.get(w), e.getValue(), Map.of());
                if (has.includes(needed)) {
                    assertThat(outcome == null || !outcome.startsWith("FORBIDDEN")).as("%s by %s: %s", e.getKey(), w, outcome).isTrue();
                } else {
                    assertThat(outcome).as("%s by %s", e.getKey(), w).startsWith("FORBIDDEN: '" + e.getKey() + "' needs the " + needed.id() + " role");
                }
            }
        }
    }

    @Test
    void everyOperationHasItsPlaceInTheMatrix() {
        Set<String> declared = new TreeSet<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.quiver.api")) {
            Class<?> type = c.reflect();
            boolean graphql = type.isAnnotationPresent(GraphQLApi.class);
            boolean rest = type.isAnnotationPresent(jakarta.ws.rs.Path.class);
            for (Method m : type.getDeclaredMethods()) {
                if (graphql) {
                    Query q = m.getAnnotation(Query.class);
                    Mutation mu = m.getAnnotation(Mutation.class);
                    Subscription s = m.getAnnotation(Subscription.class);
                    String name = q != null ? q.value() : mu != null ? mu.value() : s != null ? s.value() : null;
                    if (name != null) {
                        declared.add(name);
                    }
                }
                if (rest && (m.isAnnotationPresent(jakarta.ws.rs.GET.class) || m.isAnnotationPresent(jakarta.ws.rs.POST.class))) {
                    jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
                    jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                    declared.add((m.isAnnotationPresent(jakarta.ws.rs.GET.class) ? "GET " : "POST ") + root.value() + (sub == null ? "" : sub.value()));
                }
            }
        }
        Set<String> placed = new TreeSet<>(ROLE_ONLY.keySet());
        groupOperations().forEach(op -> placed.add(op.name().replaceAll(" \\(.*\\)$", "")));
        assertThat(placed).as("operations in the matrix").containsAll(declared);
        assertThat(ROLE_ONLY_DOCUMENTS.keySet()).as("every operation beyond reading is sent by every role")
                .containsAll(ROLE_ONLY.entrySet().stream().filter(e -> !e.getValue().equals("READER")).map(Map.Entry::getKey).toList());
    }
}
