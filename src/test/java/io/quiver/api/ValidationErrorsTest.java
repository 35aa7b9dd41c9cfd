package io.quiver.api;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.registerFailing;
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
import static org.hamcrest.Matchers.containsString;

/** Every validation rule and error code, as clients see them; a rejected request writes nothing. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class ValidationErrorsTest {

    private String entityName;

    @BeforeEach
    void registerEntity() {
        entityName = unique("acct");
        register(List.of(entity(entityName, "account_id", "STRING")), List.of());
    }

    /** The violations of a rejected registration, as (path, rule) pairs. */
    private static List<String> violations(JsonPath json) {
        assertThat(json.getString("errors[0].extensions.code")).isEqualTo("SCHEMA_VALIDATION_FAILED");
        List<Map<String, String>> list = json.getList("errors[0].extensions.violations");
        list.forEach(v -> assertThat(v.get("message")).isNotBlank());
        return list.stream().map(v -> v.get("path") + " " + v.get("rule")).toList();
    }

    private static boolean groupExists(String name) {
        JsonPath json = GraphQLQueries.groupByName(name);
        return json.getList("errors") == null;
    }

    @Test
    void everyGroupLevelViolationIsListedAndNothingIsWritten() {
        String bad = unique("g");
        Map<String, Object> g = with(group(bad, "no_such_entity", List.of(feature("x", "DOUBLE"))),
                "name", "Bad-Name", "ttlSeconds", -5, "storageFormat", "DELTA",
                "eventTimestampColumn", "ts", "eventTimestampType", "STRING",
                "createdTimestampColumn", "ts", "storagePath", "../escape",
                "tags", List.of("Not A Tag"),
                "config", List.of(Map.of("key", "hybrid_treshold_rows", "value", "1"),
                        Map.of("key", "mode", "value", "HYBRID"),
                        Map.of("key", "hybrid_cache_ttl", "value", "soon")));
        List<String> v = violations(registerFailing(List.of(), List.of(g)));

        assertThat(v).contains(
                "groups[0].name NAME_PATTERN",
                "groups[0].entities[0] UNKNOWN_ENTITY",
                "groups[0].ttlSeconds NEGATIVE_TTL",
                "groups[0].storageFormat UNSUPPORTED_FORMAT",
                "groups[0].eventTimestampType TIMESTAMP_TYPE",
                "groups[0].createdTimestampColumn COLUMN_COLLISION",
                "groups[0].storagePath SETTING_VALUE",
                "groups[0].tags[0] TAG_PATTERN",
                "groups[0].config[0].key UNKNOWN_SETTING",
                "groups[0].config[1].key USE_FIELD",
                "groups[0].config[2].value SETTING_VALUE");
    }

    @Test
    void storagePathsMustBeRelativeKeyPrefixes() {
        for (String path : List.of("s3://bucket/x", "/abs/path", "a//b", "a/../b", "with space")) {
            JsonPath json = registerFailing(List.of(), List.of(with(group(unique("sp"), entityName,
                    List.of(feature("x", "DOUBLE"))), "storagePath", path)));
            assertThat(violations(json)).as(path).containsExactly("groups[0].storagePath SETTING_VALUE");
            assertThat(json.getString("errors[0].extensions.violations[0].message")).as(path)
                    .contains("'" + path + "' is not a storage path").contains("relative path");
        }
    }

    @Test
    void unsupportedFormatsSayParquetIsRequired() {
        for (String format : List.of("DELTA", "ORC")) {
            JsonPath json = registerFailing(List.of(), List.of(with(group(unique("fmt"), entityName,
                    List.of(feature("x", "DOUBLE"))), "storageFormat", format)));
            assertThat(json.getString("errors[0].extensions.violations[0].message"))
                    .contains(format + " is not supported").contains("PARQUET");
        }
    }

    @Test
    void everyFeatureLevelViolationIsListed() {
        String name = unique("feat");
        List<Map<String, Object>> features = List.of(
                feature("ok", "DOUBLE"),
                feature("ok", "INT"),                                          // 1 duplicate
                feature("typo", "DOUBEL"),                                     // 2 unknown type
                feature("arr", "ARRAY"),                                       // 3 no element type
                with(feature("txt", "DOUBLE"), "featureType", "TEXT"),         // 4 inconsistent kinds
                with(feature("rng", "INT"), "min", 10.0, "max", 1.0),          // 5 min > max
                with(feature("lbl", "STRING"), "min", 1.0),                    // 6 min on a string
                with(feature("dflt", "INT"), "defaultValue", "abc"),           // 7 default of the wrong type
                with(feature("allow", "STRING"), "allowedValues", List.of("a", "b"), "defaultValue", "c"), // 8
                feature("account_id", "STRING"),                               // 9 collides with the key
                feature("1st", "STRING"),                                      // 10 bad name
                with(feature("src", "DOUBLE"), "sourceFeatures", List.of("nope.missing", "not a ref"),
                        "sourceDatasets", List.of("Silver Transactions")),     // 11
                with(feature("cfg", "DOUBLE"), "config", List.of(Map.of("key", "storage_path", "value", "x"))), // 12
                feature("dec", "DECIMAL(50,2)"),                               // 13
                feature("mapk", "MAP<DOUBLE,STRING>"));                        // 14
        List<String> v = violations(registerFailing(List.of(), List.of(group(name, entityName, features))));

        String f = "groups[0].features";
        assertThat(v).contains(
                f + "[1].name DUPLICATE_FEATURE",
                f + "[2].type UNKNOWN_TYPE",
                f + "[3].type UNKNOWN_TYPE",
                f + "[4].featureType INCONSISTENT_TYPE",
                f + "[5].min RANGE",
                f + "[6].min INCONSISTENT_TYPE",
                f + "[7].defaultValue VALUE_TYPE",
                f + "[8].defaultValue NOT_ALLOWED",
                f + "[9].name COLUMN_COLLISION",
                f + "[10].name NAME_PATTERN",
                f + "[11].sourceFeatures[0] UNKNOWN_FEATURE",
                f + "[11].sourceFeatures[1] REFERENCE_SYNTAX",
                f + "[11].sourceDatasets[0] DATASET_NAME",
                f + "[12].config[0].key NOT_OVERRIDABLE",
                f + "[13].type UNKNOWN_TYPE",
                f + "[14].type UNKNOWN_TYPE");
        assertThat(groupExists(name)).isFalse();
    }

    @Test
    void unknownTypeSuggestsTheClosestOne() {
        JsonPath json = registerFailing(List.of(), List.of(group(unique("t"), entityName, List.of(feature("x", "DOUBEL")))));
        assertThat(json.getString("errors[0].extensions.violations[0].message")).contains("Did you mean DOUBLE?");
    }

    @Test
    void theDataFilesRowNumberColumnNameIsReserved() {
        JsonPath json = registerFailing(List.of(), List.of(group(unique("t"), entityName, List.of(feature("file_row_number", "BIGINT")))));
        assertThat(json.getString("errors[0].extensions.violations[0].rule")).isEqualTo("RESERVED_NAME");
        assertThat(json.getString("errors[0].extensions.violations[0].path")).endsWith("features[0].name");
    }

    @Test
    void entityViolationsCoverNamesAndKeys() {
        List<String> v = violations(registerFailing(List.of(
                Map.of("name", "Customer", "joinKeys", List.of()),
                Map.of("name", "dup", "joinKeys", List.of(Map.of("name", "id", "type", "DOUBLE"))),
                Map.of("name", "dup", "joinKeys", List.of(Map.of("name", "id", "type", "INT"), Map.of("name", "id", "type", "INT")))),
                List.of()));
        assertThat(v).contains(
                "entities[0].name NAME_PATTERN",
                "entities[0].joinKeys EMPTY_KEYS",
                "entities[1].joinKeys[0].type KEY_TYPE",
                "entities[2].name DUPLICATE_ENTITY",
                "entities[2].joinKeys[1].name DUPLICATE_KEY");
    }

    @Test
    void groupsNeedKeysAndFeatures() {
        List<String> v = violations(registerFailing(List.of(),
                List.of(Map.of("name", unique("nokeys"), "entities", List.of(), "features", List.of()))));
        assertThat(v).contains("groups[0].entities EMPTY_KEYS", "groups[0].features NO_FEATURES");
    }

    @Test
    void oneBadGroupRejectsTheWholeBatch() {
        String newEntity = unique("shop");
        String good = unique("good");
        String bad = unique("bad");
        registerFailing(List.of(entity(newEntity, "shop_id", "STRING")), List.of(
                group(good, newEntity, List.of(feature("x", "DOUBLE"))),
                group(bad, newEntity, List.of(feature("y", "NOPE")))));

        assertThat(groupExists(good)).isFalse();
        assertThat(groupExists(bad)).isFalse();
        List<String> entities = ok("{ entities { name } }", Map.of()).getList("data.entities.name");
        assertThat(entities).doesNotContain(newEntity);
    }

    @Test
    void changingAnEntitysJoinKeysIsAConflict() {
        JsonPath json = registerFailing(List.of(entity(entityName, "account_id", "BIGINT")), List.of());
        assertThat(json.getString("errors[0].extensions.code")).isEqualTo("CONFLICT");
        assertThat(json.getString("errors[0].extensions.violations[0].rule")).isEqualTo("KEYS_CHANGED");
        assertThat(json.getString("errors[0].message")).contains("join keys never change");
    }

    @Test
    void anEmptyRegistrationIsRejected() {
        JsonPath json = registerFailing(List.of(), List.of());
        assertThat(violations(json)).containsExactly("registration EMPTY");
    }

    @Test
    void unknownGroupsAndFeaturesAreNotFoundWithSuggestions() {
        String name = unique("known");
        register(List.of(), List.of(group(name, entityName, List.of(feature("balance", "DOUBLE")))));

        JsonPath missingGroup = GraphQLQueries.groupByName(name + "x");
        assertThat(missingGroup.getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");
        assertThat(missingGroup.getString("errors[0].message")).contains("did you mean " + name);

        given().get("/api/v1/features/" + name + ".balanse").then().statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("FEATURE_NOT_FOUND"))
                .body("status", equalTo(404))
                .body("detail", containsString("did you mean balance?"));
        given().get("/api/v1/features/" + name + "x.balance").then().statusCode(404)
                .body("code", equalTo("FEATURE_GROUP_NOT_FOUND"));
    }

    @Test
    void malformedArgumentsAreInvalidArgument() {
        assertThat(failing("{ featureGroups(first: 0) { totalCount } }", Map.of())
                .getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
        assertThat(failing("{ featureGroups(first: 501) { totalCount } }", Map.of())
                .getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
        JsonPath badCursor = failing("{ featureGroups(after: \"garbage\") { totalCount } }", Map.of());
        assertThat(badCursor.getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
        assertThat(badCursor.getString("errors[0].message")).contains("not a cursor");
        assertThat(failing("{ lineage(feature: \"no dots here\") { node } }", Map.of())
                .getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
        given().get("/api/v1/features/BAD").then().statusCode(400).body("code", equalTo("INVALID_ARGUMENT"));
    }

    @Test
    void errorsNeverCarryStackTraces() {
        JsonPath json = registerFailing(List.of(), List.of(group(unique("st"), entityName, List.of(feature("x", "??")))));
        assertThat(json.prettify()).doesNotContain("at io.quiver").doesNotContain("java.lang").doesNotContain("Caused by");
    }
}
