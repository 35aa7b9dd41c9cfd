package io.quiver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;

/** The schema documents itself: every Quiver type, field, argument, input field and enum value has a description. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class SchemaDocumentationTest {

    private static final String INTROSPECTION = """
            { __schema { types {
                name kind description
                fields { name description args { name description } }
                inputFields { name description }
                enumValues { name description }
            } } }""";

    /** Types that come with GraphQL or SmallRye, not from Quiver. */
    private static final Set<String> BUILT_IN = Set.of("String", "Boolean", "Int", "Float", "ID", "BigInteger",
            "BigDecimal", "DateTime", "Query", "Mutation", "Subscription");

    @Test
    void everyTypeFieldArgumentAndEnumValueHasADescription() {
        List<Map<String, Object>> types = GraphQL.ok(INTROSPECTION, Map.of()).getList("data.__schema.types");
        List<String> undocumented = new ArrayList<>();
        for (Map<String, Object> type : types) {
            String name = (String) type.get("name");
            if (name.startsWith("__") || BUILT_IN.contains(name)) {
                continue;
            }
            if (isBlank(type.get("description"))) {
                undocumented.add(name);
            }
            check(undocumented, name, type.get("fields"));
            check(undocumented, name, type.get("inputFields"));
            check(undocumented, name, type.get("enumValues"));
        }
        for (Map<String, Object> type : types) {
            if (Set.of("Query", "Mutation").contains(type.get("name"))) {
                check(undocumented, (String) type.get("name"), type.get("fields"));
            }
        }
        assertThat(undocumented).as("schema elements without a description").isEmpty();
        assertThat(types).extracting(t -> t.get("name")).contains("FeatureGroup", "Feature", "Entity", "FeatureGroupInput");
    }

    @SuppressWarnings("unchecked")
    private static void check(List<String> undocumented, String owner, Object members) {
        if (members == null) {
            return;
        }
        for (Map<String, Object> m : (List<Map<String, Object>>) members) {
            String path = owner + "." + m.get("name");
            if (isBlank(m.get("description"))) {
                undocumented.add(path);
            }
            Object args = m.get("args");
            if (args != null) {
                for (Map<String, Object> a : (List<Map<String, Object>>) args) {
                    if (isBlank(a.get("description"))) {
                        undocumented.add(path + "(" + a.get("name") + ")");
                    }
                }
            }
        }
    }

    private static boolean isBlank(Object text) {
        return text == null || text.toString().isBlank();
    }

    /**
     * docs/schema.graphql is the schema the service serves ({@code /graphql/schema.graphql}); a change of the API
     * that is not exported there fails here. {@code -DwriteSchema=true} rewrites the file.
     */
    @Test
    void theExportedSchemaIsTheServedOne() throws Exception {
        String served = io.restassured.RestAssured.given().get("/graphql/schema.graphql").then().statusCode(200).extract().asString()
                .replace("\r\n", "\n").strip() + "\n";
        java.nio.file.Path exported = java.nio.file.Path.of("docs", "schema.graphql");
        if (Boolean.getBoolean("writeSchema")) {
            java.nio.file.Files.writeString(exported, served);
        }
        assertThat(java.nio.file.Files.exists(exported)).as("docs/schema.graphql exists (run this test with -DwriteSchema=true)").isTrue();
        assertThat(java.nio.file.Files.readString(exported)).as("docs/schema.graphql is out of date: run this test with "
                + "-DwriteSchema=true and commit the file").isEqualTo(served);
    }
}
