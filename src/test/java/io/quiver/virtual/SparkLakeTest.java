package io.quiver.virtual;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.row;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static io.quiver.support.BulkRest.trainingSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.ingest.WriteService;
import io.quiver.objectstore.ObjectStore;
import io.quiver.offline.WriteMode;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.SparkLakeResource;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Spark reading the lake itself ({@code lake-access = OBJECT_STORE}): a Spark Connect server with its own {@code s3a}
 * settings reads the snapshots and lake files straight from the S3 server, and the service fetches none of them
 * (its object-store downloads stay where they were); only the request's entity table is staged there, and removed.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SparkLakeResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SparkLakeTest {

    private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

    @Inject
    WriteService writer;

    @Inject
    ObjectStore objects;



    @Test
    void aTrainingSetOnSparkReadsTheSnapshotsFromTheLakeNotThroughTheService() {
        String e = unique("cust");
        String g = unique("lakepit");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(with(group(g, e, List.of(feature("v", "BIGINT"), feature("d", "DOUBLE"))),
                "ttlSeconds", 600, "createdTimestampColumn", "created")));
        long value = 0;
        for (int batch = 0; batch < 3; batch++) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                for (int minute = batch; minute < 30; minute += 3) {
                    value++;
                    rows.add(row("customer_id", c, "event_timestamp", BASE.plusSeconds(60L * minute).toString(), "created",
                            BASE.plusSeconds(batch).toString(), "v", value, "d", value % 4 == 0 ? null : value / 3.0));
                }
            }
            writer.write(g, 0, rows, WriteMode.APPEND, null);
        }
        byte[] body = Columnar.arrow("SELECT i % 12 AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_seconds(CAST(i * 37 % 2400 AS BIGINT)) "
                + "AS event_timestamp FROM range(200) t(i)");
        String features = "features=" + g + ".v&features=" + g + ".d";

        double downloads = downloads();
        ExtractableResponse<Response> spark = trainingSet(body, features + "&engine=SPARK");
        assertThat(downloads()).as("object-store downloads while Spark read the lake").isEqualTo(downloads);
        ExtractableResponse<Response> duck = trainingSet(body, features + "&engine=DUCKDB");
        assertThat(downloads()).as("DuckDB fetches the snapshot's files").isGreaterThan(downloads);

        assertThat(spark.header("Quiver-Engine")).isEqualTo("SPARK");
        List<Map<String, String>> expected = Columnar.readArrowAsText(duck.asByteArray());
        assertThat(expected).filteredOn(r -> r.get("v") != null).hasSizeBetween(50, 190);
        assertThat(Columnar.readArrowAsText(spark.asByteArray())).isEqualTo(expected);
        assertThat(objects.list("_scratch/")).as("the staged entity table is removed").isEmpty();
    }

    @Test
    void aWholeGroupReadOnSparkReadsTheLakeFilesItself() {
        String source = unique("lakesrc");
        String lake = "lake/" + source + "/";
        String rows = "SELECT i % 20 AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(CAST(i AS BIGINT)) AS ts, "
                + "CASE WHEN i % 9 = 0 THEN NULL ELSE i / 4.0 END AS v FROM range(300) t(i)";
        // six files: registration reads a sample of three (a, b, c); d, e and f reach the service only if it fetches them
        for (int f = 0; f < 6; f++) {
            objects.put(lake + (char) ('a' + f) + ".parquet", Columnar.parquet(rows + " WHERE i % 6 = " + f));
        }
        ok(VirtualFeaturesTest.REGISTER_SOURCE, Map.of("s", Map.of("name", source, "layer", "SILVER", "location", lake, "format", "PARQUET")));
        String e = unique("cust");
        String onSpark = unique("lvspark");
        String onDuck = unique("lvduck");
        Map<String, Object> common = Map.of("eventTimestampColumn", "ts", "mode", "VIRTUALIZED",
                "queryTemplate", "SELECT customer_id, ts, v + 1 AS v FROM {{silver." + source + "}}");
        Map<String, Object> s = new LinkedHashMap<>(group(onSpark, e, List.of(feature("v", "DOUBLE"))));
        s.putAll(common);
        s.put("config", List.of(Map.of("key", "query_executor_type", "value", "SPARK")));
        Map<String, Object> d = new LinkedHashMap<>(group(onDuck, e, List.of(feature("v", "DOUBLE"))));
        d.putAll(common);
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(s, d));
        byte[] body = Columnar.arrow("SELECT i % 23 AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(CAST(i * 7 % 400 AS BIGINT)) "
                + "AS event_timestamp FROM range(40) t(i)");

        double downloads = downloads();
        List<Map<String, String>> viaSpark = Columnar.readArrowAsText(trainingSet(body, "features=" + onSpark + ".v&engine=DUCKDB").asByteArray());
        assertThat(downloads()).as("object-store downloads while Spark computed the group").isEqualTo(downloads);
        List<Map<String, String>> viaDuck = Columnar.readArrowAsText(trainingSet(body, "features=" + onDuck + ".v&engine=DUCKDB").asByteArray());
        assertThat(downloads()).as("DuckDB fetches the files registration did not").isGreaterThan(downloads);
        assertThat(viaSpark).hasSize(40).isEqualTo(viaDuck);
        assertThat(viaSpark).filteredOn(r -> r.get("v") != null).isNotEmpty();
    }

    /** Object-store downloads so far, from the service's own metrics. */
    private static double downloads() {
        return io.quiver.support.Metrics.sum("quiver_store_seconds_count", "operation=\"download\"");
    }
}
