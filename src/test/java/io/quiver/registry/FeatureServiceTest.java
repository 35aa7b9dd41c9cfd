package io.quiver.registry;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Feature services: registered with the other definitions and versioned by the same rule, listed, traced both ways,
 * and served by name on every read path (GraphQL online and historical, Feast's endpoint, the REST training set).
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class FeatureServiceTest {

    static final String REGISTER = """
            mutation($e: [EntityInput!], $g: [FeatureGroupInput!], $s: [FeatureServiceInput!]) {
              register(entities: $e, groups: $g, featureServices: $s) {
                featureServices { action changes featureService { name version latest entries owner tags } }
              }
            }""";
    static final String SERVICE = """
            query($n: String!, $v: Int) {
              featureService(name: $n, version: $v) { name version latest entries features { group groupVersion name } }
            }""";
    static final String ONLINE = """
            query($s: String, $f: [String!], $e: [JSON!]!) {
              onlineFeatures(featureService: $s, features: $f, entities: $e) {
                columns { name values } metadata { featureService featureNames }
              }
            }""";
    static final String WRITE = "mutation($g: String!, $rows: [JSON!]!) { write(group: $g, rows: $rows) { rowsWritten } }";

    private static final String NOW = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();

    private String user;
    private String profile;
    private String activity;
    private String svc;

    @BeforeEach
    void registerGroups() {
        user = unique("user");
        profile = unique("profile");
        activity = unique("activity");
        svc = unique("svc");
        register(List.of(entity(user, "user_id", "BIGINT")), List.of(
                group(profile, user, List.of(feature("age", "INT"), feature("city", "STRING"))),
                group(activity, user, List.of(feature("clicks", "INT"), feature("visits", "INT")))));
        ok(WRITE, Map.of("g", profile, "rows", List.of(Map.of("user_id", 1, "event_timestamp", NOW, "age", 34, "city", "Oslo"))));
        ok(WRITE, Map.of("g", activity, "rows", List.of(Map.of("user_id", 1, "event_timestamp", NOW, "clicks", 7, "visits", 3))));
    }

    private static Map<String, Object> service(String name, List<String> entries, Object... more) {
        Map<String, Object> s = new HashMap<>(Map.of("name", name, "features", entries));
        for (int i = 0; i < more.length; i += 2) {
            s.put((String) more[i], more[i + 1]);
        }
        return s;
    }

    private static JsonPath registerServices(List<Map<String, Object>> services) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("s", services);
        return ok(REGISTER, vars);
    }

    private static JsonPath online(String service, List<String> features) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("s", service);
        vars.put("f", features);
        vars.put("e", List.of(Map.of("user_id", 1)));
        return ok(ONLINE, vars);
    }

    @Test
    void aServiceIsRegisteredWithItsGroupsVersionedByTheSameRuleAndServedExactlyAsRegistered() {
        // whole group + one feature, registered in the same request as a new group it names
        String extra = unique("extra");
        Map<String, Object> vars = new HashMap<>();
        vars.put("g", List.of(group(extra, user, List.of(feature("score", "DOUBLE")))));
        vars.put("s", List.of(service(svc, List.of(profile, activity + ".clicks", extra + "@1"), "owner", "ml-team", "tags", List.of("churn"))));
        JsonPath created = ok(REGISTER, vars);
        assertThat(created.getString("data.register.featureServices[0].action")).isEqualTo("CREATED");
        assertThat(created.<String>getList("data.register.featureServices[0].featureService.entries"))
                .containsExactly(profile, activity + ".clicks", extra + "@1");

        JsonPath v1 = ok(SERVICE, Map.of("n", svc));
        assertThat(v1.<String>getList("data.featureService.features.name")).containsExactly("age", "city", "clicks", "score");
        assertThat(v1.<Integer>getList("data.featureService.features.groupVersion")).containsOnly(1);

        // identical: nothing changes; an added entry and new text: the same version, in place
        assertThat(registerServices(List.of(service(svc, List.of(profile, activity + ".clicks", extra + "@1"), "owner", "ml-team",
                "tags", List.of("churn")))).getString("data.register.featureServices[0].action")).isEqualTo("UNCHANGED");
        JsonPath updated = registerServices(List.of(service(svc, List.of(profile, activity + ".clicks", extra + "@1", activity + ".visits"),
                "owner", "ml-team", "tags", List.of("churn"))));
        assertThat(updated.getString("data.register.featureServices[0].action")).isEqualTo("UPDATED");
        assertThat(updated.getInt("data.register.featureServices[0].featureService.version")).isEqualTo(1);
        assertThat(updated.<String>getList("data.register.featureServices[0].changes")).containsExactly("entry '" + activity + ".visits' added");

        // a removed entry is breaking: version 2; version 1 stays and is served exactly as it was
        JsonPath broken = registerServices(List.of(service(svc, List.of(activity + ".clicks", activity + ".visits"), "owner", "ml-team",
                "tags", List.of("churn"))));
        assertThat(broken.getString("data.register.featureServices[0].action")).isEqualTo("NEW_VERSION");
        assertThat(broken.getInt("data.register.featureServices[0].featureService.version")).isEqualTo(2);
        assertThat(broken.<String>getList("data.register.featureServices[0].changes"))
                .contains("entry '" + profile + "' removed", "entry '" + extra + "@1' removed");

        JsonPath latest = online(svc, null);
        assertThat(latest.getString("data.onlineFeatures.metadata.featureService")).isEqualTo(svc + "@2");
        assertThat(latest.<String>getList("data.onlineFeatures.columns.name")).containsExactly("user_id", "clicks", "visits");
        assertThat(latest.<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(7);
        JsonPath first = online(svc + "@1", null);
        assertThat(first.getString("data.onlineFeatures.metadata.featureService")).isEqualTo(svc + "@1");
        assertThat(first.<String>getList("data.onlineFeatures.columns.name")).containsExactly("user_id", "age", "city", "clicks", "visits", "score"); // columns by group, groups in first-named order
        assertThat(first.<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(34);
        // a service and a list: the service's features first, then the others
        assertThat(online(svc, List.of(profile + ".age")).<String>getList("data.onlineFeatures.columns.name"))
                .containsExactly("user_id", "clicks", "visits", "age");

        // both lineage directions: the features a service needs (above), the services using a feature
        assertThat(ok("query($f: String!) { lineage(feature: $f) { featureServices } }", Map.of("f", activity + ".clicks"))
                .<String>getList("data.lineage.featureServices")).containsExactly(svc + "@2");
        assertThat(ok("query($f: String!) { lineage(feature: $f) { featureServices } }", Map.of("f", profile + ".age"))
                .<String>getList("data.lineage.featureServices")).isEmpty();
        JsonPath listed = ok("query($f: FeatureServiceFilter) { featureServices(filter: $f, first: 50) { name version } }",
                Map.of("f", Map.of("feature", profile + ".city", "allVersions", true)));
        assertThat(listed.<String>getList("data.featureServices.name")).containsExactly(svc);
        assertThat(listed.<Integer>getList("data.featureServices.version")).containsExactly(1);
        assertThat(ok("query($f: FeatureServiceFilter) { featureServices(filter: $f) { name } }", Map.of("f", Map.of("tags", List.of("churn"),
                "search", svc.substring(0, 6)))).<String>getList("data.featureServices.name")).contains(svc);
    }

    @Test
    void everyReadPathServesByNameAndSaysWhichVersion() throws Exception {
        registerServices(List.of(service(svc, List.of(profile, activity + ".clicks"))));

        // Feast's endpoint: feature_service instead of features
        Response feast = given().contentType(ContentType.JSON).body(Map.of("feature_service", svc, "entities", Map.of("user_id", List.of(1, 2))))
                .when().post("/get-online-features").then().statusCode(200).extract().response();
        assertThat(feast.jsonPath().getString("metadata.feature_service")).isEqualTo(svc + "@1");
        assertThat(feast.jsonPath().<String>getList("metadata.feature_names")).containsExactly("user_id", "age", "city", "clicks");
        assertThat(feast.jsonPath().<Object>getList("results[1].values")).containsExactly(34, null);

        // GraphQL training set: the rows, and exactly what they contain
        JsonPath set = ok("query($s: String, $rows: [JSON!]!) { trainingSet(featureService: $s, entityRows: $rows) { featureService features rows } }",
                Map.of("s", svc, "rows", List.of(Map.of("user_id", 1, "event_timestamp", Instant.now().toString()))));
        assertThat(set.getString("data.trainingSet.featureService")).isEqualTo(svc + "@1");
        assertThat(set.<String>getList("data.trainingSet.features")).containsExactly(profile + ".age", profile + ".city", activity + ".clicks");
        assertThat(set.getInt("data.trainingSet.rows[0].age")).isEqualTo(34);
        assertThat(set.getInt("data.trainingSet.rows[0].clicks")).isEqualTo(7);
        JsonPath rows = ok("query($s: String, $rows: [JSON!]!) { historicalFeatures(featureService: $s, entityRows: $rows) }",
                Map.of("s", svc + "@1", "rows", List.of(Map.of("user_id", 1, "event_timestamp", Instant.now().toString()))));
        assertThat(rows.getString("data.historicalFeatures[0].city")).isEqualTo("Oslo");

        // REST training set: the header names the version
        byte[] entities = Columnar.arrow("SELECT 1::BIGINT AS user_id, now()::TIMESTAMPTZ AS event_timestamp");
        Response rest = given().contentType(Columnar.ARROW).body(entities).queryParam("featureService", svc)
                .when().post("/api/v1/historical-features").then().statusCode(200).extract().response();
        assertThat(rest.header("Quiver-Feature-Service")).isEqualTo(svc + "@1");
        List<Map<String, String>> table = Columnar.readArrowAsText(rest.asByteArray());
        assertThat(table).hasSize(1);
        assertThat(table.get(0)).containsEntry("age", "34").containsEntry("clicks", "7").containsKey("city");
    }

    @Test
    void badServicesAreRejectedWholeWithEveryProblemListed() {
        Map<String, Object> vars = new HashMap<>();
        vars.put("s", List.of(
                service(svc, List.of(profile + ".nope", "no_such_group", profile + "@9", "Bad Ref", profile, profile)),
                service(svc, List.of(profile)),
                service("Bad-Name", List.of())));
        JsonPath bad = failing(REGISTER, vars);
        assertThat(bad.getString("errors[0].extensions.code")).isEqualTo("SCHEMA_VALIDATION_FAILED");
        List<String> found = new ArrayList<>();
        bad.<Map<String, Object>>getList("errors[0].extensions.violations").forEach(v -> found.add(v.get("path") + " " + v.get("rule")));
        assertThat(found).contains(
                "featureServices[0].features[0] UNKNOWN_FEATURE",
                "featureServices[0].features[1] UNKNOWN_FEATURE",
                "featureServices[0].features[2] UNKNOWN_FEATURE",
                "featureServices[0].features[3] REFERENCE_SYNTAX",
                "featureServices[0].features[5] DUPLICATE_VALUE",
                "featureServices[1].name DUPLICATE_SERVICE",
                "featureServices[2].name NAME_PATTERN",
                "featureServices[2].features NO_FEATURES");
        assertThat(bad.getString("errors[0].message")).doesNotContain("SELECT", "qv_");
        // nothing was written
        assertThat(failing(SERVICE, Map.of("n", svc)).getString("errors[0].extensions.code")).isEqualTo("FEATURE_SERVICE_NOT_FOUND");
        assertThat(failing(ONLINE, Map.of("s", svc, "e", List.of(Map.of("user_id", 1)))).getString("errors[0].extensions.code"))
                .isEqualTo("FEATURE_SERVICE_NOT_FOUND");
        assertThat(failing(ONLINE, Map.of("e", List.of(Map.of("user_id", 1)))).getString("errors[0].message"))
                .contains("name at least one feature to read");
    }

    @Test
    void reorderingOrRePinningIsBreakingAndBadInputIsAValidationError() {
        registerServices(List.of(service(svc, List.of(profile + "@1.age", activity + ".clicks"))));
        JsonPath reordered = registerServices(List.of(service(svc, List.of(activity + ".clicks", profile + "@1.age"))));
        assertThat(reordered.getString("data.register.featureServices[0].action")).isEqualTo("NEW_VERSION");
        assertThat(reordered.<String>getList("data.register.featureServices[0].changes")).containsExactly("entries reordered");
        // a second version of the profile group, then the entry re-pinned to it
        register(List.of(), List.of(group(profile, user, List.of(feature("age", "BIGINT"), feature("city", "STRING")))));
        JsonPath repinned = registerServices(List.of(service(svc, List.of(activity + ".clicks", profile + "@2.age"))));
        assertThat(repinned.getString("data.register.featureServices[0].action")).isEqualTo("NEW_VERSION");
        assertThat(repinned.getInt("data.register.featureServices[0].featureService.version")).isEqualTo(3);
        assertThat(repinned.<String>getList("data.register.featureServices[0].changes"))
                .containsExactly("entry '" + profile + "@1.age' removed", "entry '" + profile + "@2.age' added");

        List<String> tags = new ArrayList<>();
        tags.add(null);
        Map<String, Object> vars = new HashMap<>();
        vars.put("s", List.of(service(svc, List.of(profile), "tags", tags)));
        JsonPath nullTag = failing(REGISTER, vars);
        assertThat(nullTag.getString("errors[0].extensions.code")).isEqualTo("SCHEMA_VALIDATION_FAILED");
        assertThat(nullTag.getString("errors[0].extensions.violations[0].path")).isEqualTo("featureServices[0].tags");
    }

    @Test
    void deletingTheLatestVersionOfAGroupIsRefusedWhenAFollowingEntryWouldLoseItsFeature() {
        registerServices(List.of(service(svc, List.of(profile + ".city"))));
        // version 2 drops city: the entry follows it
        register(List.of(), List.of(group(profile, user, List.of(feature("age", "INT")))));
        registerServices(List.of(service(svc, List.of(profile + ".age"))));
        // version 3 (age retyped: breaking) adds x back in
        register(List.of(), List.of(group(profile, user, List.of(feature("age", "BIGINT"), feature("city", "STRING"), feature("x", "INT")))));
        registerServices(List.of(service(svc, List.of(profile + ".x"))));
        // deleting version 3 would leave version 2, which has no x
        JsonPath refused = failing("mutation($g: String!, $v: Int) { deleteFeatureGroup(name: $g, version: $v) { name } }",
                Map.of("g", profile, "v", 3));
        assertThat(refused.getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_IN_USE");
        assertThat(refused.getString("errors[0].message")).contains(svc);
    }

    @Test
    void aGroupAServiceListsIsNotDeletedFromUnderIt() {
        registerServices(List.of(service(svc, List.of(activity))));
        JsonPath refused = failing("mutation($g: String!) { deleteFeatureGroup(name: $g) { name } }", Map.of("g", activity));
        assertThat(refused.getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_IN_USE");
        assertThat(refused.getString("errors[0].message")).contains(svc + "@1");

        assertThat(ok("mutation($n: String!) { deleteFeatureService(name: $n) }", Map.of("n", svc)).<Integer>getList("data.deleteFeatureService"))
                .containsExactly(1);
        ok("mutation($g: String!) { deleteFeatureGroup(name: $g) { name } }", Map.of("g", activity));
        assertThat(failing(ONLINE, Map.of("s", svc, "e", List.of(Map.of("user_id", 1)))).getString("errors[0].extensions.code"))
                .isEqualTo("FEATURE_SERVICE_NOT_FOUND");
        // registered again under the same name: a new number, so svc@1 never names two different lists
        JsonPath again = registerServices(List.of(service(svc, List.of(profile))));
        assertThat(again.getString("data.register.featureServices[0].action")).isEqualTo("CREATED");
        assertThat(again.getInt("data.register.featureServices[0].featureService.version")).isEqualTo(2);
    }
}
