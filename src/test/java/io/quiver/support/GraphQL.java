package io.quiver.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Posts GraphQL documents to /graphql the way any client does. */
public final class GraphQL {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private GraphQL() {
    }

    public static ValidatableResponse post(String document, Map<String, Object> variables) {
        Map<String, Object> body = new HashMap<>();
        body.put("query", document);
        body.put("variables", variables == null ? Map.of() : variables);
        return given().contentType(ContentType.JSON).body(body).when().post("/graphql").then().statusCode(200);
    }

    /** Runs the document and asserts it produced no errors; returns the response's JSON. */
    public static JsonPath ok(String document, Map<String, Object> variables) {
        return post(document, variables).body("errors", nullValue()).extract().jsonPath();
    }

    /** Runs the document and returns the JSON of a response that must hold errors. */
    public static JsonPath failing(String document, Map<String, Object> variables) {
        JsonPath json = post(document, variables).extract().jsonPath();
        if (json.getList("errors") == null || json.getList("errors").isEmpty()) {
            throw new AssertionError("expected GraphQL errors, got " + json.prettify());
        }
        return json;
    }

    /** Where the latest version of the group keeps its data files in the object store. */
    public static String dataPrefix(String group) {
        return ok("query($g: String!) { featureGroup(name: $g) { dataPrefix } }", Map.of("g", group)).getString("data.featureGroup.dataPrefix");
    }

    /** A name no other test uses, so tests share one database without seeing each other's groups. */
    public static String unique(String prefix) {
        return prefix + "_" + COUNTER.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 1_000_000, 36);
    }

    // Builders for registration inputs, as plain maps (GraphQL variables).

    public static Map<String, Object> entity(String name, String key, String type) {
        return Map.of("name", name, "joinKeys", List.of(Map.of("name", key, "type", type)));
    }

    public static Map<String, Object> feature(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    public static Map<String, Object> group(String name, String entity, List<Map<String, Object>> features) {
        Map<String, Object> g = new HashMap<>();
        g.put("name", name);
        g.put("entities", List.of(entity));
        g.put("features", features);
        return g;
    }

    /** A row for writes and entity lists: keys and values in turn, in that order. */
    public static Map<String, Object> row(Object... keyValues) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
        Map<String, Object> m = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    public static final String REGISTER = """
            mutation($entities: [EntityInput], $groups: [FeatureGroupInput]) {
              register(entities: $entities, groups: $groups) {
                entities { name action }
                groups { action changes group { name version latest status createdAt updatedAt } }
              }
            }""";

    /** Registers and returns the JSON of the result. */
    public static JsonPath register(List<Map<String, Object>> entities, List<Map<String, Object>> groups) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("entities", entities);
        vars.put("groups", groups);
        return ok(REGISTER, vars);
    }

    public static JsonPath registerFailing(List<Map<String, Object>> entities, List<Map<String, Object>> groups) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("entities", entities);
        vars.put("groups", groups);
        return failing(REGISTER, vars);
    }
}
