package io.quiver.api;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;

/** Registration through /graphql: round trip of every field, idempotency, and the versioning rule. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class RegistrationTest {

    private static final String GROUP_QUERY = """
            query($name: String!, $version: Int) {
              featureGroup(name: $name, version: $version) {
                name version latest mode status description owner tags ttlSeconds versions
                entityNames entityKeys { name valueType }
                eventTimestampColumn eventTimestampType createdTimestampColumn createdTimestampType
                storageFormat storagePath onlineEnabled offlineEnabled createdAt updatedAt lastDataUpdateAt
                metadata { key value }
                entities { name description joinKeys { name valueType } }
                features {
                  name type dataType featureType description nullable defaultValue allowedValues min max unit tags
                  reference group groupVersion sourceFeatures sourceDatasets
                  effectiveConfig { key value source note }
                }
                effectiveConfig { key value source note }
                servedAs
              }
            }""";

    private String entityName;

    @BeforeEach
    void registerEntity() {
        entityName = unique("customer");
        register(List.of(entity(entityName, "customer_id", "BIGINT")), List.of());
    }

    private JsonPath fetch(String name, Integer version) {
        return ok(GROUP_QUERY, version == null ? Map.of("name", name) : Map.of("name", name, "version", version));
    }

    private Map<String, Object> richGroup(String name) {
        return with(group(name, entityName, List.of(
                with(feature("total_purchases", "DOUBLE"), "description", "Total spent", "unit", "EUR", "min", 0.0,
                        "max", 1000000.0, "defaultValue", "0", "tags", List.of("money"),
                        "sourceDatasets", List.of("silver.transactions"),
                        "config", List.of(Map.of("key", "hybrid_threshold_rows", "value", "42"))),
                with(feature("segment", "STRING"), "allowedValues", List.of("bronze", "silver", "gold"),
                        "defaultValue", "bronze", "nullable", false),
                with(feature("spend_by_category", "map<string, decimal(12,2)>")),
                with(feature("embedding", "ARRAY<FLOAT>"), "featureType", "VECTOR"),
                with(feature("address", "STRUCT<city:STRING,zip:INT>"), "sourceFeatures", List.of(name + ".segment")))),
                "description", "Customer behaviour", "owner", "data-science", "tags", List.of("gold", "team:risk"),
                "ttlSeconds", 86400, "mode", "HYBRID", "eventTimestampColumn", "computed_at", "eventTimestampType", "DATE",
                "createdTimestampColumn", "created_at", "metadata", List.of(Map.of("key", "query_template", "value", "SELECT 1")),
                "config", List.of(Map.of("key", "hybrid_threshold_rows", "value", "5000"),
                        Map.of("key", "auto_materialize_on_read", "value", "FALSE")));
    }

    @Test
    void registeredGroupReadsBackWithEveryField() {
        String name = unique("c360");
        JsonPath result = register(List.of(), List.of(richGroup(name)));
        assertThat(result.getString("data.register.groups[0].action")).isEqualTo("CREATED");
        assertThat(result.getInt("data.register.groups[0].group.version")).isEqualTo(1);

        JsonPath g = fetch(name, null);
        String p = "data.featureGroup.";
        assertThat(g.getInt(p + "version")).isEqualTo(1);
        assertThat(g.getBoolean(p + "latest")).isTrue();
        assertThat(g.getString(p + "mode")).isEqualTo("HYBRID");
        assertThat(g.getString(p + "status")).isEqualTo("ACTIVE");
        assertThat(g.getString(p + "owner")).isEqualTo("data-science");
        assertThat(g.getList(p + "tags")).containsExactly("gold", "team:risk");
        assertThat(g.getLong(p + "ttlSeconds")).isEqualTo(86400);
        assertThat(g.getList(p + "versions")).containsExactly(1);
        assertThat(g.getList(p + "entityNames")).containsExactly(entityName);
        assertThat(g.getString(p + "entityKeys[0].name")).isEqualTo("customer_id");
        assertThat(g.getString(p + "entityKeys[0].valueType")).isEqualTo("BIGINT");
        assertThat(g.getString(p + "entities[0].name")).isEqualTo(entityName);
        assertThat(g.getString(p + "eventTimestampColumn")).isEqualTo("computed_at");
        assertThat(g.getString(p + "eventTimestampType")).isEqualTo("DATE");
        assertThat(g.getString(p + "createdTimestampColumn")).isEqualTo("created_at");
        assertThat(g.getString(p + "createdTimestampType")).isEqualTo("TIMESTAMP");
        assertThat(g.getString(p + "storageFormat")).isEqualTo("PARQUET");
        assertThat(g.getString(p + "storagePath")).endsWith("/" + name);
        assertThat(g.getBoolean(p + "onlineEnabled")).isTrue();
        assertThat(g.getString(p + "createdAt")).isNotBlank();
        assertThat(g.getString(p + "lastDataUpdateAt")).isNull();
        assertThat(g.getString(p + "metadata[0].key")).isEqualTo("query_template");

        List<Map<String, Object>> features = g.getList(p + "features");
        assertThat(features).extracting(f -> f.get("name"))
                .containsExactly("total_purchases", "segment", "spend_by_category", "embedding", "address");
        Map<String, Object> total = features.get(0);
        assertThat(total).containsEntry("type", "DOUBLE").containsEntry("featureType", "NUMERICAL")
                .containsEntry("unit", "EUR").containsEntry("min", 0.0f).containsEntry("defaultValue", "0.0")
                .containsEntry("reference", name + ".total_purchases").containsEntry("groupVersion", 1);
        assertThat(total.get("sourceDatasets")).isEqualTo(List.of("silver.transactions"));
        Map<String, Object> segment = features.get(1);
        assertThat(segment).containsEntry("featureType", "CATEGORICAL").containsEntry("nullable", false)
                .containsEntry("defaultValue", "bronze");
        assertThat(segment.get("allowedValues")).isEqualTo(List.of("bronze", "silver", "gold"));
        assertThat(features.get(2)).containsEntry("type", "MAP<STRING,DECIMAL(12,2)>").containsEntry("dataType", "MAP")
                .containsEntry("featureType", "COMPLEX");
        assertThat(features.get(3)).containsEntry("type", "ARRAY<FLOAT>").containsEntry("featureType", "VECTOR");
        assertThat(features.get(4)).containsEntry("type", "STRUCT<city:STRING,zip:INT>");
        assertThat(features.get(4).get("sourceFeatures")).isEqualTo(List.of(name + ".segment"));
    }

    @Test
    void effectiveConfigShowsEachValueAndItsLayer() {
        String name = unique("layers");
        register(List.of(), List.of(richGroup(name)));
        JsonPath g = fetch(name, null);

        Map<String, Map<String, Object>> group = byKey(g.getList("data.featureGroup.effectiveConfig"));
        assertThat(group.get("mode")).containsEntry("value", "HYBRID").containsEntry("source", "GROUP");
        assertThat(group.get("hybrid_threshold_rows")).containsEntry("value", "5000").containsEntry("source", "GROUP");
        assertThat(group.get("auto_materialize_on_read")).containsEntry("value", "false").containsEntry("source", "GROUP");
        assertThat(group.get("hybrid_cache_ttl")).containsEntry("value", "PT1H").containsEntry("source", "GLOBAL");
        assertThat(group.get("virtual_table_prefix")).containsEntry("value", "features_").containsEntry("source", "GLOBAL");
        assertThat(group.get("storage_format")).containsEntry("value", "PARQUET").containsEntry("source", "GLOBAL");
        assertThat(group.get("hybrid_online_p99_ms")).containsEntry("value", "0").containsEntry("source", "GLOBAL");
        assertThat(group).hasSize(13);

        Map<String, Map<String, Object>> feature = byKey(g.getList("data.featureGroup.features[0].effectiveConfig"));
        assertThat(feature.get("hybrid_threshold_rows")).containsEntry("value", "42").containsEntry("source", "FEATURE");
        assertThat(feature.get("mode")).containsEntry("value", "HYBRID").containsEntry("source", "GROUP");
        assertThat(feature.get("enable_virtualization")).containsEntry("source", "GLOBAL");
    }

    @Test
    void aHybridGroupWithoutTemplateSaysItIsServedFromStoredData() {
        String hybrid = unique("hyb");
        String plain = unique("mat");
        register(List.of(), List.of(richGroup(hybrid), group(plain, entityName, List.of(feature("x", "DOUBLE")))));

        JsonPath h = fetch(hybrid, null);
        assertThat(h.getString("data.featureGroup.mode")).isEqualTo("HYBRID");
        assertThat(h.getString("data.featureGroup.servedAs")).isEqualTo("MATERIALIZED");
        Map<String, Map<String, Object>> config = byKey(h.getList("data.featureGroup.effectiveConfig"));
        assertThat((String) config.get("mode").get("note")).contains("hybrid selector").contains("else MATERIALIZED");
        assertThat(config.get("hybrid_threshold_rows").get("note")).isNull();
        assertThat(config.get("enable_virtualization").get("note")).isNull();
        assertThat(config.get("storage_format").get("note")).isNull();
        assertThat(config.get("storage_path").get("note")).isNull();

        JsonPath m = fetch(plain, null);
        assertThat(m.getString("data.featureGroup.servedAs")).isEqualTo("MATERIALIZED");
        assertThat(byKey(m.getList("data.featureGroup.effectiveConfig")).get("mode").get("note")).isNull();
    }

    @Test
    void aGivenStoragePathHoldsEveryVersionInADirectoryOfItsOwn() {
        String name = unique("custom");
        String path = "teams/risk/" + name;
        register(List.of(), List.of(with(group(name, entityName, List.of(feature("x", "DOUBLE"))), "storagePath", path + "/")));
        register(List.of(), List.of(with(group(name, entityName, List.of(feature("x", "BIGINT"))), "storagePath", path)));

        JsonPath v1 = ok("query($n: String!) { featureGroup(name: $n, version: 1) { storagePath dataPrefix } }", Map.of("n", name));
        JsonPath v2 = ok("query($n: String!) { featureGroup(name: $n, version: 2) { storagePath dataPrefix } }", Map.of("n", name));
        assertThat(v1.getString("data.featureGroup.storagePath")).isEqualTo(path);
        assertThat(v1.getString("data.featureGroup.dataPrefix")).matches(java.util.regex.Pattern.quote(path) + "/v1_[0-9a-f]{16}/data/");
        assertThat(v2.getString("data.featureGroup.dataPrefix")).matches(java.util.regex.Pattern.quote(path) + "/v2_[0-9a-f]{16}/data/");
    }

    @Test
    void registeringTheSameDefinitionAgainChangesNothing() {
        String name = unique("idem");
        JsonPath first = register(List.of(entity(entityName, "customer_id", "BIGINT")), List.of(richGroup(name)));
        JsonPath second = register(List.of(entity(entityName, "customer_id", "BIGINT")), List.of(richGroup(name)));

        assertThat(second.getString("data.register.entities[0].action")).isEqualTo("UNCHANGED");
        assertThat(second.getString("data.register.groups[0].action")).isEqualTo("UNCHANGED");
        assertThat(second.getInt("data.register.groups[0].group.version")).isEqualTo(1);
        assertThat(second.getString("data.register.groups[0].group.updatedAt"))
                .isEqualTo(first.getString("data.register.groups[0].group.updatedAt"));
        assertThat(fetch(name, null).getList("data.featureGroup.versions")).containsExactly(1);
    }

    @Test
    void compatibleChangesUpdateTheLatestVersionInPlace() {
        String name = unique("compat");
        register(List.of(), List.of(group(name, entityName, List.of(feature("amount", "DOUBLE")))));

        Map<String, Object> changed = with(group(name, entityName, List.of(
                with(feature("amount", "DOUBLE"), "description", "now documented"),
                feature("count", "INT"))), "owner", "new-team", "tags", List.of("fresh"), "ttlSeconds", 60);
        JsonPath result = register(List.of(), List.of(changed));

        assertThat(result.getString("data.register.groups[0].action")).isEqualTo("UPDATED");
        assertThat(result.getList("data.register.groups[0].changes", String.class))
                .anyMatch(c -> c.contains("feature 'count' added"))
                .anyMatch(c -> c.startsWith("owner changed"));
        JsonPath g = fetch(name, null);
        assertThat(g.getInt("data.featureGroup.version")).isEqualTo(1);
        assertThat(g.getList("data.featureGroup.versions")).containsExactly(1);
        assertThat(g.getString("data.featureGroup.owner")).isEqualTo("new-team");
        assertThat(g.getList("data.featureGroup.features.name")).containsExactly("amount", "count");
        assertThat(g.getString("data.featureGroup.features[0].description")).isEqualTo("now documented");
    }

    @Test
    void breakingChangesCreateTheNextVersionAndKeepTheOldOneReadable() {
        String name = unique("brk");
        register(List.of(), List.of(group(name, entityName, List.of(feature("amount", "DOUBLE"), feature("note", "STRING")))));

        // Type change: version 2.
        JsonPath v2 = register(List.of(), List.of(group(name, entityName, List.of(feature("amount", "BIGINT"), feature("note", "STRING")))));
        assertThat(v2.getString("data.register.groups[0].action")).isEqualTo("NEW_VERSION");
        assertThat(v2.getInt("data.register.groups[0].group.version")).isEqualTo(2);
        assertThat(v2.getList("data.register.groups[0].changes", String.class)).contains("feature 'amount' type changed from DOUBLE to BIGINT");

        // Removed feature: version 3.
        JsonPath v3 = register(List.of(), List.of(group(name, entityName, List.of(feature("amount", "BIGINT")))));
        assertThat(v3.getInt("data.register.groups[0].group.version")).isEqualTo(3);

        // Timestamp column change: version 4. New non-nullable feature: version 5.
        register(List.of(), List.of(with(group(name, entityName, List.of(feature("amount", "BIGINT"))), "eventTimestampColumn", "ts")));
        JsonPath v5 = register(List.of(), List.of(with(group(name, entityName,
                List.of(feature("amount", "BIGINT"), with(feature("flag", "BOOLEAN"), "nullable", false))), "eventTimestampColumn", "ts")));
        assertThat(v5.getInt("data.register.groups[0].group.version")).isEqualTo(5);

        JsonPath latest = fetch(name, null);
        assertThat(latest.getInt("data.featureGroup.version")).isEqualTo(5);
        assertThat(latest.getList("data.featureGroup.versions")).containsExactly(1, 2, 3, 4, 5);

        JsonPath v1 = fetch(name, 1);
        assertThat(v1.getBoolean("data.featureGroup.latest")).isFalse();
        assertThat(v1.getList("data.featureGroup.features.type")).containsExactly("DOUBLE", "STRING");

        // group.feature means the latest version; group@1.feature names version 1.
        given().get("/api/v1/features/" + name + ".amount").then().statusCode(200)
                .body("type", equalTo("BIGINT")).body("groupVersion", equalTo(5));
        given().get("/api/v1/features/" + name + "@1.amount").then().statusCode(200)
                .body("type", equalTo("DOUBLE")).body("groupVersion", equalTo(1));
        given().get("/api/v1/features/" + name + ":note").then().statusCode(404).body("code", equalTo("FEATURE_NOT_FOUND"));
    }

    @Test
    void changingTheEntityKeysIsBreaking() {
        String other = unique("store");
        register(List.of(entity(other, "store_id", "STRING")), List.of());
        String name = unique("keys");
        register(List.of(), List.of(group(name, entityName, List.of(feature("amount", "DOUBLE")))));

        JsonPath v2 = register(List.of(), List.of(with(group(name, entityName, List.of(feature("amount", "DOUBLE"))),
                "entities", List.of(entityName, other))));
        assertThat(v2.getString("data.register.groups[0].action")).isEqualTo("NEW_VERSION");
        assertThat(fetch(name, null).getList("data.featureGroup.entityKeys.name")).containsExactly("customer_id", "store_id");
        assertThat(fetch(name, 1).getList("data.featureGroup.entityKeys.name")).containsExactly("customer_id");
    }

    @Test
    void entitiesAndGroupsRegisterTogetherAndEntityDescriptionsUpdate() {
        String e = unique("merchant");
        String name = unique("merch");
        JsonPath first = register(List.of(entity(e, "merchant_id", "STRING")),
                List.of(group(name, e, List.of(feature("risk", "DOUBLE")))));
        assertThat(first.getString("data.register.entities[0].action")).isEqualTo("CREATED");
        assertThat(first.getString("data.register.groups[0].action")).isEqualTo("CREATED");

        JsonPath second = register(List.of(with(entity(e, "merchant_id", "STRING"), "description", "A shop")), List.of());
        assertThat(second.getString("data.register.entities[0].action")).isEqualTo("UPDATED");
        List<Map<String, Object>> entities = ok("{ entities { name description joinKeys { name valueType } } }", Map.of())
                .getList("data.entities");
        assertThat(entities).filteredOn(m -> e.equals(m.get("name"))).singleElement()
                .satisfies(m -> assertThat(m).containsEntry("description", "A shop"));
    }

    @Test
    void restViewReturnsTheGroupWithItsFeatures() {
        String name = unique("rest");
        register(List.of(), List.of(group(name, entityName, List.of(feature("amount", "DECIMAL(10,2)")))));
        given().get("/api/v1/feature-groups/" + name).then().statusCode(200)
                .body("group.name", equalTo(name)).body("group.version", equalTo(1))
                .body("features[0].type", equalTo("DECIMAL(10,2)"));
        given().get("/api/v1/feature-groups/" + name + "?version=7").then().statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("FEATURE_GROUP_NOT_FOUND"))
                .body("detail", equalTo("feature group '" + name + "' has no version 7; registered versions: [1]"));
    }

    private static Map<String, Map<String, Object>> byKey(List<Map<String, Object>> settings) {
        Map<String, Map<String, Object>> out = new java.util.HashMap<>();
        settings.forEach(s -> out.put((String) s.get("key"), s));
        return out;
    }
}
