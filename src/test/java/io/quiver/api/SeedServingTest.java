package io.quiver.api;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The Feature Store 2.0 seed's serving requests (docs: seeds/feature-store-2.0.md, "Serve Features Online" and "Get
 * Historical Features"), sent exactly as the seed writes them, against the names the seed uses.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class SeedServingTest {

    static final String ONLINE_EXAMPLE = """
            {
                "feature_sets": ["user_profile", "user_activity"],
                "entities": {
                    "user": ["user_123", "user_456"]
                },
                "features": ["user_age", "purchase_count", "last_login"]
            }""";

    static final String HISTORICAL_EXAMPLE = """
            {
                "feature_sets": ["user_profile"],
                "entity_df": {
                    "columns": ["user_id", "event_timestamp"],
                    "data": [
                        ["user_123", "2024-01-01T10:00:00"],
                        ["user_456", "2024-01-01T11:00:00"]
                    ]
                },
                "features": ["user_age", "purchase_count"]
            }""";

    @BeforeEach
    void registerTheSeedsGroups() {
        // the seed's names; registering the same definitions again changes nothing
        register(List.of(entity("user", "user_id", "STRING")), List.of(
                with(group("user_profile", "user", List.of(feature("user_age", "INT"), feature("last_login", "TIMESTAMP"),
                        feature("purchase_count", "INT"))), "ttlSeconds", 0),
                with(group("user_activity", "user", List.of(feature("clicks", "INT"))), "ttlSeconds", 0)));
        String write = "mutation($g: String!, $rows: [JSON!]!) { write(group: $g, rows: $rows) { rowsWritten } }";
        ok(write, Map.of("g", "user_profile", "rows", List.of(
                Map.of("user_id", "user_123", "event_timestamp", "2023-12-31T00:00:00Z", "user_age", 28, "purchase_count", 156,
                        "last_login", "2024-01-15T14:30:00Z"),
                Map.of("user_id", "user_456", "event_timestamp", "2023-12-31T00:00:00Z", "user_age", 35, "purchase_count", 89,
                        "last_login", "2024-01-14T09:15:00Z"))));
    }

    @Test
    void theSeedsOnlineRequestIsAnsweredKeyedByEntity() {
        JsonPath answer = given().contentType(ContentType.JSON).body(ONLINE_EXAMPLE).when().post("/api/v1/serving/online")
                .then().statusCode(200).extract().jsonPath();
        assertThat(answer.getInt("features.user_123.user_age")).isEqualTo(28);
        assertThat(answer.getInt("features.user_456.purchase_count")).isEqualTo(89);
        assertThat(answer.getString("features.user_123.last_login")).startsWith("2024-01-15T14:30");
        assertThat(answer.getMap("features.user_123")).containsOnlyKeys("user_age", "purchase_count", "last_login");
        assertThat(answer.getDouble("metadata.latency_ms")).isPositive();
        // cache_hit: every value from the online store; whether it is depends on Redis at that moment
        assertThat(answer.getMap("metadata")).containsKeys("cache_hit", "degraded");
        assertThat(answer.getBoolean("metadata.cache_hit")).isEqualTo(!answer.getBoolean("metadata.degraded")
                && answer.getBoolean("metadata.cache_hit"));
    }

    @Test
    void theSeedsHistoricalRequestIsAnsweredAsColumnsAndData() {
        JsonPath answer = given().contentType(ContentType.JSON).body(HISTORICAL_EXAMPLE).when().post("/api/v1/serving/historical")
                .then().statusCode(200).extract().jsonPath();
        assertThat(answer.<String>getList("columns")).containsExactly("user_id", "event_timestamp", "user_age", "purchase_count");
        assertThat(answer.<Object>getList("data[0]")).contains("user_123", 28, 156);
        assertThat(answer.<Object>getList("data[1]")).contains("user_456", 35, 89);
        assertThat(answer.getInt("metadata.rows")).isEqualTo(2);
    }

    @Test
    void aFeatureSetMayBeAFeatureService() {
        String svc = io.quiver.support.GraphQL.unique("seed_svc");
        ok("mutation($s: [FeatureServiceInput!]) { register(featureServices: $s) { featureServices { action } } }",
                Map.of("s", List.of(Map.of("name", svc, "features", List.of("user_profile.user_age")))));
        JsonPath answer = given().contentType(ContentType.JSON).body(Map.of("feature_sets", List.of(svc), "entities", Map.of("user",
                List.of("user_123")))).when().post("/api/v1/serving/online").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getMap("features.user_123")).containsOnlyKeys("user_age");
        assertThat(answer.getInt("features.user_123.user_age")).isEqualTo(28);
    }

    @Test
    void badSeedRequestsGetTheUsualErrors() {
        JsonPath unknown = given().contentType(ContentType.JSON).body(ONLINE_EXAMPLE.replace("\"user_age\"", "\"user_agee\""))
                .when().post("/api/v1/serving/online").then().statusCode(404).extract().jsonPath();
        assertThat(unknown.getString("code")).isEqualTo("FEATURE_NOT_FOUND");
        assertThat(unknown.getString("detail")).contains("user_agee", "user_age");
        JsonPath noSet = given().contentType(ContentType.JSON).body(ONLINE_EXAMPLE.replace("\"user_activity\"", "\"no_such_set\""))
                .when().post("/api/v1/serving/online").then().statusCode(404).extract().jsonPath();
        assertThat(noSet.getString("code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");
        JsonPath ragged = given().contentType(ContentType.JSON).body(HISTORICAL_EXAMPLE.replace("[\"user_456\", \"2024-01-01T11:00:00\"]", "[\"user_456\"]"))
                .when().post("/api/v1/serving/historical").then().statusCode(400).extract().jsonPath();
        assertThat(ragged.getString("detail")).contains("entity_df.data[1]");
    }
}
