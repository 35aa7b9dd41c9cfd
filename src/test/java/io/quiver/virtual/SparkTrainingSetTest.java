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
import java.util.Random;
import java.util.stream.Collectors;

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
import io.quiver.support.S3ProxyTestResource;
import io.quiver.support.SparkConnectTestResource;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Training sets on the Spark Connect server (a real Spark 4.2 in local mode): the same answers as DuckDB's on
 * randomized data, and the routing rule, through REST.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SparkConnectTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SparkTrainingSetTest {

    private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

    @Inject
    WriteService writer;

    @Inject
    ObjectStore objects;

    private static String at(long minutes) {
        return BASE.plusSeconds(60L * minutes).toString();
    }



    /**
     * Randomized: two groups over the same customers, one with a TTL and a created column (ties on event time go to
     * the later created time, then the later write), one without either (ties go to the later write); values that are
     * sometimes null (a null in the matched row is the answer, not an older value); data in many appended files;
     * entity rows before any data, on the TTL's edge, at a data row's exact time, unknown, and repeated.
     */
    @Test
    void sparkAndDuckDbGiveTheSamePointInTimeAnswers() {
        String e = unique("cust");
        String timed = unique("sparkpit");
        String plain = unique("sparkplain");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(
                with(group(timed, e, List.of(feature("v", "BIGINT"), feature("d", "DOUBLE"), feature("s", "STRING"))),
                        "ttlSeconds", 7 * 60, "createdTimestampColumn", "created"),
                group(plain, e, List.of(feature("w", "BIGINT"), feature("ts2", "TIMESTAMP"), feature("amt", "DECIMAL(10,2)"),
                        feature("day", "DATE"), feature("tags", "ARRAY<STRING>"), feature("times", "ARRAY<TIMESTAMP>"),
                        feature("m", "MAP<STRING,DOUBLE>"), feature("addr", "STRUCT<city:STRING,zip:INT>")))));
        Random random = new Random(20261206);
        long value = 0;
        for (int batch = 0; batch < 8; batch++) {
            Map<String, Map<String, Object>> timedRows = new LinkedHashMap<>();
            Map<String, Map<String, Object>> plainRows = new LinkedHashMap<>();
            for (int i = 0; i < 60; i++) {
                long customer = random.nextInt(12);
                long minute = random.nextInt(40);
                long created = random.nextInt(4);
                value++;
                // within one write (customer, minute, created) is unique: nothing could order two identical rows of one file
                timedRows.put(customer + "/" + minute + "/" + created, row("customer_id", customer, "event_timestamp", at(minute),
                        "created", BASE.plusSeconds(created).toString(), "v", value, "d", random.nextInt(5) == 0 ? null : value / 7.0,
                        "s", random.nextInt(6) == 0 ? null : "s" + value));
                // nested and exact types too: microseconds inside arrays, decimals, dates, maps and structs
                plainRows.put(customer + "/" + minute, row("customer_id", customer, "event_timestamp", at(minute), "w", value,
                        "ts2", BASE.plusMillis(value * 1_001).toString(), "amt", (value * 37 % 100000) / 100.0 + "",
                        "day", BASE.plusSeconds(86400 * (value % 30)).toString().substring(0, 10),
                        "tags", value % 5 == 0 ? List.of() : List.of("t" + value, "x, \"y\""),
                        "times", List.of(BASE.plusNanos(value * 1_234_567_000L).toString()),
                        "m", Map.of("k" + value % 3, value / 8.0), "addr", Map.of("city", "c" + value % 7, "zip", (int) (value % 90000))));
            }
            writer.write(timed, 0, new ArrayList<>(timedRows.values()), WriteMode.APPEND, null);
            writer.write(plain, 0, new ArrayList<>(plainRows.values()), WriteMode.APPEND, null);
        }
        List<String> entityRows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // minutes -3..46: before any data, inside, at the TTL's edge (a data minute + 7), past every row
            entityRows.add("(" + random.nextInt(14) + ", TIMESTAMPTZ '" + at(random.nextInt(50) - 3) + "', " + i + ")");
        }
        entityRows.addAll(entityRows.subList(0, 25)); // repeated entity rows
        byte[] body = Columnar.arrow(entityRows.stream().collect(Collectors.joining(", ",
                "SELECT c::BIGINT AS customer_id, ts AS event_timestamp, i::INTEGER AS i FROM (VALUES ", ") t(c, ts, i)")));
        String features = "features=" + timed + ".v&features=" + timed + ".d&features=" + timed + ".s&features=" + plain + ".w&features="
                + plain + ".ts2&features=" + plain + ".amt&features=" + plain + ".day&features=" + plain + ".tags&features=" + plain
                + ".times&features=" + plain + ".m&features=" + plain + ".addr";

        ExtractableResponse<Response> duck = trainingSet(body, features + "&engine=DUCKDB");
        ExtractableResponse<Response> spark = trainingSet(body, features + "&engine=SPARK");

        assertThat(duck.header("Quiver-Engine")).isEqualTo("DUCKDB");
        assertThat(spark.header("Quiver-Engine")).isEqualTo("SPARK");
        List<Map<String, String>> expected = Columnar.readArrowAsText(duck.asByteArray());
        List<Map<String, String>> actual = Columnar.readArrowAsText(spark.asByteArray());
        assertThat(actual).hasSize(425);
        // not vacuous: matches, misses, and nulls inside matches all occur
        assertThat(expected).filteredOn(r -> r.get("v") != null).hasSizeBetween(100, 380);
        assertThat(expected).filteredOn(r -> r.get("v") != null && r.get("d") == null).isNotEmpty();
        assertThat(expected).filteredOn(r -> r.get("w") != null && r.get("v") == null).isNotEmpty();
        assertThat(expected).filteredOn(r -> r.get("times") != null && r.get("times").matches(".*\\.\\d{6}\\D.*")).isNotEmpty();
        assertThat(Columnar.arrowSchema(spark.asByteArray())).isEqualTo(Columnar.arrowSchema(duck.asByteArray()));
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void theRuleSendsLargeTrainingSetsOfSparkGroupsToSpark() {
        String e = unique("cust");
        String onSpark = unique("routed");
        String local = unique("local");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(
                with(group(onSpark, e, List.of(feature("v", "BIGINT"))), "config", List.of(Map.of("key", "query_executor_type", "value", "SPARK"))),
                group(local, e, List.of(feature("v", "BIGINT")))));
        for (String g : List.of(onSpark, local)) {
            writer.write(g, 0, List.of(row("customer_id", 1, "event_timestamp", at(0), "v", 5)), WriteMode.APPEND, null);
        }
        byte[] small = Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '" + at(1) + "' AS event_timestamp FROM range(50)");
        byte[] large = Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '" + at(1) + "' AS event_timestamp FROM range(150)");

        ExtractableResponse<Response> notSpark = trainingSet(large, "features=" + local + ".v");
        assertThat(notSpark.header("Quiver-Engine")).isEqualTo("DUCKDB");
        assertThat(notSpark.header("Quiver-Engine-Reason")).isEqualTo("no group of the request has query_executor_type SPARK");

        ExtractableResponse<Response> tooSmall = trainingSet(small, "features=" + onSpark + ".v");
        assertThat(tooSmall.header("Quiver-Engine")).isEqualTo("DUCKDB");
        assertThat(tooSmall.header("Quiver-Engine-Reason")).contains("51 rows read (50 entity rows and 1 stored feature rows)")
                .contains("quiver.spark.min-rows (100)");

        ExtractableResponse<Response> routed = trainingSet(large, "features=" + onSpark + ".v");
        assertThat(routed.header("Quiver-Engine")).isEqualTo("SPARK");
        assertThat(routed.header("Quiver-Engine-Reason")).contains("group " + onSpark + " has query_executor_type SPARK")
                .contains("151 rows read (150 entity rows and 1 stored feature rows)");
        assertThat(Columnar.readArrowAsText(routed.asByteArray())).hasSize(150).allSatisfy(r -> assertThat(r).containsEntry("v", "5"));

        // the access metrics show where each training set ran
        var paths = ok("query($g: String!) { accessMetrics(group: $g) { paths { path count } } }", Map.of("g", onSpark))
                .getList("data.accessMetrics.paths", Map.class);
        assertThat(paths).contains(Map.of("path", "HISTORICAL_SPARK", "count", 1), Map.of("path", "HISTORICAL", "count", 1));

        BulkRest.historical(Columnar.ARROW, Columnar.ARROW, small, "features=" + local + ".v&engine=GPU").statusCode(400)
                .body(org.hamcrest.Matchers.containsString("engine must be AUTO, DUCKDB or SPARK, not 'GPU'"));
    }

    /** A training set routed to Spark that fails (its snapshot's file is gone) counts as a failure of the Spark path. */
    @Test
    void aTrainingSetThatFailsAfterItWasRoutedToSparkCountsOnTheSparkPath() {
        String e = unique("cust");
        String g = unique("lost");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(
                with(group(g, e, List.of(feature("v", "BIGINT"))), "config", List.of(Map.of("key", "query_executor_type", "value", "SPARK")))));
        writer.write(g, 0, List.of(row("customer_id", 1, "event_timestamp", at(0), "v", 5)), WriteMode.APPEND, null);
        objects.delete(objects.list(io.quiver.support.GraphQL.dataPrefix(g)).stream().map(io.quiver.objectstore.ObjectInfo::key).toList());
        byte[] large = Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '" + at(1) + "' AS event_timestamp FROM range(150)");

        BulkRest.historical(Columnar.ARROW, Columnar.ARROW, large, "features=" + g + ".v&engine=SPARK").statusCode(org.hamcrest.Matchers.not(200));
        var paths = ok("query($g: String!) { accessMetrics(group: $g) { paths { path count errors } } }", Map.of("g", g))
                .getList("data.accessMetrics.paths", Map.class);
        assertThat(paths).contains(Map.of("path", "HISTORICAL_SPARK", "count", 0, "errors", 1));
        assertThat(paths).noneMatch(p -> "HISTORICAL".equals(p.get("path")) && !Integer.valueOf(0).equals(p.get("errors")));
    }

    /**
     * A virtual group with query_executor_type SPARK: a read of every entity (here a training set past
     * max-key-filter) runs its template on Spark, and answers as the same group on DuckDB does.
     */
    @Test
    void aWholeGroupReadOfASparkVirtualGroupRunsOnSpark() {
        String source = lakeSource("SELECT i % 20 AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(CAST(i AS BIGINT)) AS ts, "
                + "CASE WHEN i % 9 = 0 THEN NULL ELSE i / 4.0 END AS v, 'l' || (i % 3) AS label FROM range(300) t(i)");
        String e = unique("cust");
        String onSpark = unique("vspark");
        String onDuck = unique("vduck");
        List<Map<String, Object>> features = List.of(feature("v", "DOUBLE"), feature("label", "STRING"));
        Map<String, Object> common = Map.of("eventTimestampColumn", "ts", "mode", "VIRTUALIZED", "ttlSeconds", 3600,
                "queryTemplate", "SELECT customer_id, ts, v * 2 AS v, label FROM {{silver." + source + "}} WHERE label <> 'l2'");
        Map<String, Object> s = new LinkedHashMap<>(group(onSpark, e, features));
        s.putAll(common);
        s.put("config", List.of(Map.of("key", "query_executor_type", "value", "SPARK")));
        Map<String, Object> d = new LinkedHashMap<>(group(onDuck, e, features));
        d.putAll(common);
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(s, d));
        byte[] body = Columnar.arrow("SELECT i % 23 AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(CAST(i * 7 % 400 AS BIGINT)) "
                + "AS event_timestamp FROM range(60) t(i)");

        double before = sparkSlices();
        List<Map<String, String>> viaSpark = Columnar.readArrowAsText(trainingSet(body, "features=" + onSpark + ".v&features=" + onSpark
                + ".label&engine=DUCKDB").asByteArray());
        List<Map<String, String>> viaDuck = Columnar.readArrowAsText(trainingSet(body, "features=" + onDuck + ".v&features=" + onDuck
                + ".label&engine=DUCKDB").asByteArray());

        assertThat(sparkSlices()).isEqualTo(before + 1);
        assertThat(viaSpark).hasSize(60).isEqualTo(viaDuck);
        assertThat(viaSpark).filteredOn(r -> r.get("v") != null).isNotEmpty();
        assertThat(viaSpark).filteredOn(r -> r.get("label") != null && r.get("v") == null).isNotEmpty();
    }

    /**
     * A fill of a hybrid group on Spark when Spark reads local copies ({@code LOCAL_COPIES}): Spark writes the files
     * into a local directory, the service uploads and commits them as its own, and the group then reads online as
     * the same group filled on DuckDB.
     */
    @Test
    void aFillOnSparkWithLocalCopiesIsWrittenBySparkAndUploaded() throws InterruptedException {
        String source = lakeSource("SELECT i % 20 AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(CAST(i % 45 AS BIGINT)) AS ts, "
                + "CASE WHEN i % 9 = 0 THEN NULL ELSE i / 4.0 END AS v FROM range(300) t(i)");
        String e = unique("cust");
        String onSpark = unique("lfspark");
        String onDuck = unique("lfduck");
        String template = "SELECT customer_id, ts, ts AS created, v * 2 AS v FROM {{silver." + source + "}}";
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(SparkLakeTest.hybrid(onSpark, e, template, "SPARK"),
                SparkLakeTest.hybrid(onDuck, e, template, "DUCKDB")));

        double writes = sparkWrites();
        SparkLakeTest.forceMaterialized(onSpark);
        SparkLakeTest.forceMaterialized(onDuck);
        assertThat(SparkLakeTest.waitForFill(onSpark)).isEqualTo("SUCCEEDED");
        assertThat(SparkLakeTest.waitForFill(onDuck)).isEqualTo("SUCCEEDED");
        assertThat(sparkWrites()).as("fills Spark wrote").isEqualTo(writes + 1);
        String prefix = io.quiver.support.GraphQL.dataPrefix(onSpark);
        assertThat(objects.list(prefix)).isNotEmpty().allMatch(o -> o.key().substring(prefix.length()).matches("[0-9a-f-]{36}_\\d+\\.parquet"));

        List<Map<String, Object>> entities = java.util.stream.IntStream.range(0, 22).<Map<String, Object>>mapToObj(c -> Map.of("customer_id", c)).toList();
        String online = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { columns { values statuses eventTimestamps } } }";
        io.restassured.path.json.JsonPath spark = ok(online, Map.of("f", List.of(onSpark + ".v"), "e", entities));
        assertThat(spark.<Object>getList("data.onlineFeatures.columns"))
                .isEqualTo(ok(online, Map.of("f", List.of(onDuck + ".v"), "e", entities)).getList("data.onlineFeatures.columns"));
        assertThat(spark.<String>getList("data.onlineFeatures.columns[1].statuses")).contains("PRESENT", "NOT_FOUND");
    }

    /** A silver source of two lake files: the rows of {@code rows} (a query over {@code i}) below 150 and from 150. */
    private String lakeSource(String rows) {
        String source = unique("sparksrc");
        String lake = "lake/" + source + "/";
        objects.put(lake + "a.parquet", Columnar.parquet(rows + " WHERE i < 150"));
        objects.put(lake + "b.parquet", Columnar.parquet(rows + " WHERE i >= 150"));
        ok(VirtualFeaturesTest.REGISTER_SOURCE, Map.of("s", Map.of("name", source, "layer", "SILVER", "location", lake, "format", "PARQUET")));
        return source;
    }

    /** Fills Spark wrote so far, from the service's own metrics. */
    private static double sparkWrites() {
        return io.quiver.support.Metrics.sum("quiver_executor_seconds_count", "executor=\"spark\"", "operation=\"write\"", "outcome=\"success\"");
    }

    /** Spark slices so far, from the service's own metrics. */
    private static double sparkSlices() {
        return io.quiver.support.Metrics.sum("quiver_executor_seconds_count", "executor=\"spark\"", "operation=\"slice\"", "outcome=\"success\"");
    }
}
