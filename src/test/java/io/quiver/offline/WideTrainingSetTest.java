package io.quiver.offline;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A training set of 1,000 features over 10 groups: too long for a query string (HTTP 414), so sent as a body,
 * multipart (a JSON part and the entity table) or a JSON envelope, by list or by feature service; and the same
 * 1,000 features read online. Then 10,000 features per request, the bound, online and as a training set.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class WideTrainingSetTest {

    static final int GROUPS = 10;
    static final int FEATURES = 100;
    static final int ENTITIES = 40;

    private final List<String> groups = new ArrayList<>();
    private final List<String> references = new ArrayList<>();

    /** Feature j of group g for entity i: distinct everywhere, so a value in the wrong column shows. */
    static double value(int g, int j, int i) {
        return g * 1_000_000.0 + j * 1_000 + i;
    }

    @BeforeEach
    void registerAndWrite() {
        String user = unique("wuser");
        List<Map<String, Object>> defs = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            String name = unique("wide" + g);
            groups.add(name);
            List<Map<String, Object>> features = new ArrayList<>();
            for (int j = 0; j < FEATURES; j++) {
                features.add(feature("f" + j, "DOUBLE"));
                references.add(name + ".f" + j);
            }
            defs.add(group(name, user, features));
        }
        register(List.of(entity(user, "user_id", "BIGINT")), defs);
        for (int g = 0; g < GROUPS; g++) {
            StringBuilder sql = new StringBuilder("SELECT i::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS event_timestamp");
            for (int j = 0; j < FEATURES; j++) {
                sql.append(", (").append(g * 1_000_000L + j * 1_000L).append(" + i)::DOUBLE AS f").append(j);
            }
            sql.append(" FROM range(").append(ENTITIES).append(") t(i)");
            BulkRest.write(groups.get(g), Columnar.ARROW, Columnar.arrow(sql.toString()), null).statusCode(200);
        }
    }

    private static byte[] entityTable() {
        return Columnar.arrow("SELECT i::BIGINT AS user_id, TIMESTAMPTZ '2026-02-01 00:00:00+00' AS event_timestamp FROM range(" + ENTITIES
                + ") t(i)");
    }

    private static Response multipart(Map<String, Object> request) {
        return given().multiPart("request", io.quiver.json.Json.write(request), "application/json")
                .multiPart("entities", "entities.arrow", entityTable(), Columnar.ARROW)
                .accept(Columnar.ARROW).when().post("/api/v1/historical-features").then().statusCode(200).extract().response();
    }

    private void assertWide(List<Map<String, String>> rows) {
        assertThat(rows).hasSize(ENTITIES);
        assertThat(rows.get(0)).hasSize(2 + GROUPS * FEATURES);
        for (int i : new int[] {0, 17, ENTITIES - 1}) {
            Map<String, String> row = rows.get(i);
            assertThat(row.get("user_id")).isEqualTo(String.valueOf(i));
            for (int g : new int[] {0, 4, GROUPS - 1}) {
                for (int j : new int[] {0, 55, FEATURES - 1}) {
                    assertThat(Double.parseDouble(row.get(groups.get(g) + "__f" + j))).as("group %d feature %d entity %d", g, j, i)
                            .isEqualTo(value(g, j, i));
                }
            }
        }
    }

    @Test
    void aThousandFeaturesGoInTheBodyByListOrByService() {
        // as a query string, the list alone is about 30 KB: too long for HTTP's request line
        given().contentType(Columnar.ARROW).body(entityTable()).queryParam("features", String.join(",", references))
                .when().post("/api/v1/historical-features").then().statusCode(414);
        Response byList = multipart(Map.of("features", references, "fullFeatureNames", true));
        assertWide(Columnar.readArrowAsText(byList.asByteArray()));

        Map<String, Object> service = new HashMap<>(Map.of("name", unique("wide_svc"), "features", groups));
        Map<String, Object> vars = new HashMap<>();
        vars.put("s", List.of(service));
        ok("mutation($s: [FeatureServiceInput!]) { register(featureServices: $s) { featureServices { action } } }", vars);
        Response byService = multipart(Map.of("featureService", service.get("name"), "fullFeatureNames", true));
        assertThat(byService.header("Quiver-Feature-Service")).isEqualTo(service.get("name") + "@1");
        assertWide(Columnar.readArrowAsText(byService.asByteArray()));

        // a JSON envelope for a few entity rows
        JsonPath json = given().contentType(ContentType.JSON).body(Map.of("features", references, "fullFeatureNames", true,
                "entityRows", List.of(Map.of("user_id", 3, "event_timestamp", "2026-02-01T00:00:00Z"))))
                .when().post("/api/v1/historical-features").then().statusCode(200).extract().jsonPath();
        assertThat(json.<String>getList("features")).hasSize(GROUPS * FEATURES);
        Map<String, Object> row = json.getMap("rows[0]");
        assertThat(row).hasSize(2 + GROUPS * FEATURES);
        assertThat(((Number) row.get(groups.get(9) + "__f99")).doubleValue()).isEqualTo(value(9, 99, 3));
    }

    @Test
    void aThousandFeaturesReadOnlineThroughGraphQLAndFeast() {
        JsonPath online = ok("query($f: [String!], $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e, fullFeatureNames: true) "
                + "{ columns { name values } } }", Map.of("f", references, "e", List.of(Map.of("user_id", 5), Map.of("user_id", 6))));
        assertThat(online.<String>getList("data.onlineFeatures.columns.name")).hasSize(1 + GROUPS * FEATURES);
        assertThat(online.<Number>getList("data.onlineFeatures.columns[" + (GROUPS * FEATURES) + "].values").stream().map(Number::doubleValue))
                .containsExactly(value(9, 99, 5), value(9, 99, 6));

        List<String> feast = references.stream().map(r -> r.replace('.', ':')).toList();
        JsonPath answer = given().contentType(ContentType.JSON).body(Map.of("features", feast, "entities", Map.of("user_id", List.of(5)),
                "full_feature_names", true)).when().post("/get-online-features").then().statusCode(200).extract().jsonPath();
        assertThat(answer.<String>getList("metadata.feature_names")).hasSize(1 + GROUPS * FEATURES);
        assertThat(answer.<Number>getList("results[" + (GROUPS * FEATURES) + "].values").stream().map(Number::doubleValue))
                .containsExactly(value(9, 99, 5));
    }

    @Test
    void tenThousandFeaturesPerRequestOnEveryPath() {
        String user = unique("xuser");
        List<Map<String, Object>> defs = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            String name = unique("xwide" + g);
            List<Map<String, Object>> features = new ArrayList<>();
            for (int j = 0; j < 1_000; j++) {
                features.add(feature("f" + j, "INT"));
                all.add(name + ".f" + j);
            }
            defs.add(io.quiver.support.GraphQL.with(group(name, user, features), "onlineEnabled", false));
        }
        register(List.of(entity(user, "user_id", "BIGINT")), defs);
        assertThat(all).hasSize(10_000);

        JsonPath online = ok("query($f: [String!], $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e, fullFeatureNames: true) "
                + "{ columns { name statuses } } }", Map.of("f", all, "e", List.of(Map.of("user_id", 1))));
        assertThat(online.<String>getList("data.onlineFeatures.columns.name")).hasSize(10_001);
        assertThat(online.<String>getList("data.onlineFeatures.columns[10000].statuses")).containsExactly("NOT_FOUND");

        Response rest = given().multiPart("request", io.quiver.json.Json.write(Map.of("features", all, "fullFeatureNames", true)), "application/json")
                .multiPart("entities", "entities.arrow", Columnar.arrow("SELECT 1::BIGINT AS user_id, TIMESTAMPTZ '2026-02-01 00:00:00+00' "
                        + "AS event_timestamp"), Columnar.ARROW)
                .accept(Columnar.ARROW).when().post("/api/v1/historical-features").then().statusCode(200).extract().response();
        List<Map<String, String>> rows = Columnar.readArrowAsText(rest.asByteArray());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).hasSize(10_002);

        // one more is refused, saying the bound
        List<String> tooMany = new ArrayList<>(all);
        tooMany.add(groups.get(0) + ".f0");
        assertThat(io.quiver.support.GraphQL.failing("query($f: [String!], $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e, "
                + "fullFeatureNames: true) { columns { name } } }", Map.of("f", tooMany, "e", List.of(Map.of("user_id", 1))))
                .getString("errors[0].message")).contains("at most 10000");
    }
}
