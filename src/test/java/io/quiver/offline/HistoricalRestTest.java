package io.quiver.offline;

import static io.quiver.support.Columnar.ARROW;
import static io.quiver.support.Columnar.PARQUET;
import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

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
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/** Training sets over REST: an entity table as Arrow or Parquet in, the same rows with features out. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class HistoricalRestTest {

    private String customers;
    private String orders;

    @BeforeEach
    void registerAndWrite() {
        String cust = unique("cust");
        String store = unique("store");
        customers = unique("cprof");
        orders = unique("sprof");
        // customers: TTL 1 day, a created column; stores: no TTL. Both have a feature named 'score'.
        register(List.of(entity(cust, "customer_id", "BIGINT"), entity(store, "store_id", "STRING")), List.of(
                with(group(customers, cust, List.of(feature("score", "DOUBLE"), feature("tier", "STRING"),
                        feature("seen", "TIMESTAMP"), feature("price", "DECIMAL(12,2)"))), "ttlSeconds", 86_400,
                        "createdTimestampColumn", "created"),
                group(orders, store, List.of(feature("score", "BIGINT")))));
        BulkRest.write(customers, ARROW, Columnar.arrow("SELECT * FROM (VALUES "
                + "(1::BIGINT, TIMESTAMPTZ '2026-01-01 00:00:00', TIMESTAMPTZ '2026-01-01 00:00:00', 1.0, 'a', TIMESTAMPTZ '2025-12-31 23:59:59.000001', 1.25::DECIMAL(12,2)), "
                + "(1, TIMESTAMPTZ '2026-01-02 00:00:00', TIMESTAMPTZ '2026-01-02 00:00:00', 2.0, 'b', NULL, NULL), "
                + "(1, TIMESTAMPTZ '2026-01-02 00:00:00', TIMESTAMPTZ '2026-01-02 05:00:00', 2.5, 'c', NULL, NULL), "
                + "(2, TIMESTAMPTZ '2026-01-01 00:00:00', TIMESTAMPTZ '2026-01-01 00:00:00', 9.0, 'z', NULL, NULL)) "
                + "t(customer_id, event_timestamp, created, score, tier, seen, price)"), null).statusCode(200);
        BulkRest.write(orders, PARQUET, Columnar.parquet("SELECT * FROM (VALUES "
                + "('s1', TIMESTAMPTZ '2025-06-01', 7::BIGINT), ('s1', TIMESTAMPTZ '2026-01-01 12:00:00', 8)) t(store_id, event_timestamp, score)"),
                null).statusCode(200);
    }

    private static ValidatableResponse request(String contentType, String accept, byte[] body, String query) {
        return BulkRest.historical(contentType, accept, body, query);
    }

    private static final String ENTITIES = "SELECT * FROM (VALUES "
            + "(1::BIGINT, 's1', TIMESTAMPTZ '2026-01-02 06:00:00', 'label-0'), "   // created tie: 2.5 wins
            + "(1, 's1', TIMESTAMPTZ '2026-01-01 12:00:00', 'label-1'), "            // first row
            + "(1, 's1', TIMESTAMPTZ '2026-01-04 00:00:00', 'label-2'), "            // older than the 1-day TTL: null
            + "(3, 's9', TIMESTAMPTZ '2026-01-02 00:00:00', 'label-3'), "            // unknown entities: nulls
            + "(1, 's1', TIMESTAMPTZ '2026-01-01 12:00:00', 'label-1'), "            // a repeated row comes back twice
            + "(2, 's1', TIMESTAMPTZ '2025-12-31 00:00:00', 'label-5')) "            // before any customer row
            + "t(customer_id, store_id, event_timestamp, label)";

    @Test
    void anArrowEntityTableComesBackInOrderWithPointInTimeFeatures() {
        byte[] answer = request(ARROW, null, Columnar.arrow(ENTITIES, 2), "features=" + customers + ".score&features=" + customers
                + ".tier," + orders + ".score&fullFeatureNames=true").statusCode(200).contentType(ARROW).extract().asByteArray();

        List<Map<String, String>> rows = Columnar.readArrow(answer);
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0).keySet()).containsExactly("customer_id", "store_id", "event_timestamp", "label",
                customers + "__score", customers + "__tier", orders + "__score");
        assertThat(rows.stream().map(r -> r.get("label")).toList())
                .containsExactly("label-0", "label-1", "label-2", "label-3", "label-1", "label-5");
        assertThat(rows.stream().map(r -> r.get(customers + "__score")).toList()).containsExactly("2.5", "1.0", null, null, "1.0", null);
        assertThat(rows.stream().map(r -> r.get(customers + "__tier")).toList()).containsExactly("c", "a", null, null, "a", null);
        assertThat(rows.stream().map(r -> r.get(orders + "__score")).toList()).containsExactly("8", "8", "8", null, "8", "7");
        Map<String, String> types = Columnar.arrowSchema(answer);
        assertThat(types.get(customers + "__score")).isEqualTo("FloatingPoint(DOUBLE)");
        assertThat(types.get(orders + "__score")).isEqualTo("Int(64, true)");
    }

    @Test
    void parquetInParquetOutAndArrowOnRequestWithExactTypes() {
        byte[] entities = Columnar.parquet("SELECT 1::INTEGER AS customer_id, TIMESTAMP '2026-01-01 01:00:00' AS event_timestamp");
        String query = "features=" + customers + ".seen&features=" + customers + ".price";

        List<Map<String, String>> parquet = Columnar.readParquet(request(PARQUET, null, entities, query).statusCode(200)
                .contentType(PARQUET).extract().asByteArray());
        assertThat(parquet).containsExactly(Map.of("customer_id", "1", "event_timestamp", "2026-01-01 01:00:00",
                "seen", "2025-12-31 23:59:59.000001+00", "price", "1.25"));

        byte[] arrow = request(PARQUET, ARROW, entities, query).statusCode(200).contentType(ARROW).extract().asByteArray();
        Map<String, String> types = Columnar.arrowSchema(arrow);
        assertThat(types.get("seen")).isEqualTo("Timestamp(MICROSECOND, UTC)");
        assertThat(types.get("price")).isEqualTo("Decimal(12, 2, 128)");
        assertThat(Columnar.readArrow(arrow).get(0).get("price")).isEqualTo("1.25");
    }

    @Test
    void aSnapshotPinReadsAGroupAsItWasWrittenThen() {
        long first = ok("query($g: String!) { snapshots(group: $g) { id } }", Map.of("g", orders)).getLong("data.snapshots[0].id");
        BulkRest.write(orders, ARROW, Columnar.arrow("SELECT 's1' AS store_id, TIMESTAMPTZ '2026-01-01 13:00:00' AS event_timestamp, 9::BIGINT AS score"),
                null).statusCode(200);
        byte[] entities = Columnar.arrow("SELECT 's1' AS store_id, TIMESTAMPTZ '2026-01-02' AS event_timestamp");

        assertThat(Columnar.readArrow(request(ARROW, null, entities, "features=" + orders + ".score").statusCode(200).extract().asByteArray())
                .get(0)).containsEntry("score", "9");
        assertThat(Columnar.readArrow(request(ARROW, null, entities, "features=" + orders + ".score&snapshot=" + orders + ":" + first)
                .statusCode(200).extract().asByteArray()).get(0)).containsEntry("score", "8");
        assertThat(request(ARROW, null, entities, "features=" + orders + ".score&snapshot=" + orders + "-1").statusCode(400)
                .extract().jsonPath().getString("detail")).contains("group:id");
    }

    @Test
    void badEntityTablesAndRequestsGetClearErrors() {
        String query = "features=" + customers + ".score";
        JsonPath missing = request(ARROW, null, Columnar.arrow("SELECT 1::BIGINT AS id, TIMESTAMPTZ '2026-01-01' AS event_timestamp"), query)
                .statusCode(400).extract().jsonPath();
        assertThat(missing.getList("violations.path")).containsExactly("columns.customer_id");
        assertThat(missing.getList("violations.rule")).containsExactly("MISSING_KEY");

        JsonPath nulls = request(ARROW, null, Columnar.arrow("SELECT * FROM (VALUES (1::BIGINT, NULL::TIMESTAMPTZ), (NULL, TIMESTAMPTZ '2026-01-01'))"
                + " t(customer_id, event_timestamp)"), query).statusCode(400).extract().jsonPath();
        assertThat(nulls.getList("violations.path")).containsExactly("rows[0].event_timestamp", "rows[1].customer_id");

        JsonPath collision = request(ARROW, null, Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, "
                + "0.5 AS score, 1 AS __secret"), query).statusCode(400).extract().jsonPath();
        assertThat(collision.getList("violations.rule")).containsExactly("COLUMN_COLLISION", "RESERVED_NAME");

        // DuckDB compares names without case: 'Score' would swallow the feature 'score'
        JsonPath cased = request(ARROW, null, Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, "
                + "'x' AS \"Score\""), query).statusCode(400).extract().jsonPath();
        assertThat(cased.getList("violations.rule")).containsExactly("COLUMN_COLLISION");

        JsonPath unknown = request(ARROW, null, Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp"),
                "features=" + customers + ".scroe").statusCode(404).extract().jsonPath();
        assertThat(unknown.getString("code")).isEqualTo("FEATURE_NOT_FOUND");
        assertThat(unknown.getString("detail")).contains("score");

        JsonPath notAcceptable = request(ARROW, "application/json", Columnar.arrow("SELECT 1::BIGINT AS customer_id"), query).statusCode(406)
                .extract().jsonPath();
        assertThat(notAcceptable.getString("detail")).contains("application/vnd.apache.parquet");
        assertThat(notAcceptable.getInt("status")).isEqualTo(406); // the problem document says what HTTP said
        assertThat(request(ARROW, null, "garbage".getBytes(), query).statusCode(400).extract().jsonPath().getString("detail"))
                .contains("is not an Arrow IPC stream");
        assertThat(request(ARROW, null, Columnar.arrow("SELECT 1::BIGINT AS customer_id"), "").statusCode(400)
                .extract().jsonPath().getString("detail")).contains("name at least one feature");
    }

    @Test
    void restAndGraphQLGiveTheSameAnswerForRandomEntityRows() {
        Random random = new Random(42);
        StringBuilder values = new StringBuilder();
        List<Map<String, Object>> jsonRows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long id = 1 + random.nextInt(3);
            String ts = java.time.Instant.parse("2025-12-31T00:00:00Z").plusSeconds(random.nextInt(5 * 86_400)).toString();
            values.append(i == 0 ? "" : ", ").append("(").append(id).append("::BIGINT, 's1', TIMESTAMPTZ '").append(ts).append("')");
            Map<String, Object> row = new HashMap<>();
            row.put("customer_id", id);
            row.put("store_id", "s1");
            row.put("event_timestamp", ts);
            jsonRows.add(row);
        }
        List<String> features = List.of(customers + ".score", orders + ".score");
        List<Map<String, String>> rest = Columnar.readArrow(request(ARROW, null, Columnar.arrow("SELECT * FROM (VALUES " + values
                + ") t(customer_id, store_id, event_timestamp)"), "features=" + String.join(",", features) + "&fullFeatureNames=true")
                .statusCode(200).extract().asByteArray());
        JsonPath graphql = ok("query($f: [String!]!, $rows: [JSON!]!) { historicalFeatures(features: $f, entityRows: $rows, fullFeatureNames: true) }",
                Map.of("f", features, "rows", jsonRows));

        for (int i = 0; i < jsonRows.size(); i++) {
            Object g1 = graphql.get("data.historicalFeatures[" + i + "]." + customers + "__score");
            Object g2 = graphql.get("data.historicalFeatures[" + i + "]." + orders + "__score");
            assertThat(rest.get(i).get(customers + "__score")).as("row %d", i).isEqualTo(g1 == null ? null : String.valueOf(((Number) g1).doubleValue()));
            assertThat(rest.get(i).get(orders + "__score")).as("row %d", i).isEqualTo(g2 == null ? null : String.valueOf(g2));
        }
        assertThat(rest.stream().filter(r -> r.get(customers + "__score") != null).count()).isGreaterThan(30);
    }
}
