package io.quiver.virtual;

import static io.quiver.support.GraphQL.dataPrefix;
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
import io.restassured.path.json.JsonPath;
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

    /**
     * A hybrid group on Spark turned MATERIALIZED: Spark computes the template over the lake and writes the snapshot's
     * files into the object store itself, in the write's own directory; the service commits them and loads the online
     * store from each entity's latest row, the only rows that come back. Online and historical reads of those files
     * answer as the same group filled on DuckDB does, with created-time ties and nulls.
     */
    @Test
    void aFillOnSparkWritesTheSnapshotIntoTheLakeItself() throws InterruptedException {
        // (customer, ts) pairs repeat after 180 rows: the later created time wins
        String source = lakeSource("i % 20 AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(CAST(i % 45 AS BIGINT)) AS ts, "
                + "TIMESTAMPTZ '2026-03-02 00:00:00+00' + to_seconds(CAST(i AS BIGINT)) AS created, CASE WHEN i % 7 = 0 THEN NULL ELSE i / 4.0 END AS v");
        String e = unique("cust");
        String onSpark = unique("fillspark");
        String onDuck = unique("fillduck");
        String template = "SELECT customer_id, ts, created, v * 2 AS v FROM {{silver." + source + "}}";
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(hybrid(onSpark, e, template, "SPARK"), hybrid(onDuck, e, template, "DUCKDB")));

        double downloads = downloads();
        forceMaterialized(onSpark);
        assertThat(waitForFill(onSpark)).isEqualTo("SUCCEEDED");
        assertThat(downloads()).as("object-store downloads while Spark filled the group").isEqualTo(downloads);
        assertThat(ok("query($g: String!) { strategyHistory(group: $g) { kind reason } }", Map.of("g", onSpark)).<String>getList("data.strategyHistory.reason"))
                .anyMatch(r -> r.contains("rows stored from the query") && r.contains("on Spark"));
        JsonPath fillJob = ok("query($g: String!) { materializationJobs(group: $g) { kind engine engineReason } }", Map.of("g", onSpark));
        assertThat(fillJob.getString("data.materializationJobs[0].kind")).isEqualTo("FILL");
        assertThat(fillJob.getString("data.materializationJobs[0].engine")).isEqualTo("SPARK");
        assertThat(fillJob.getString("data.materializationJobs[0].engineReason")).contains("its sources hold about ").contains("quiver.spark.min-rows (100)");
        String prefix = dataPrefix(onSpark);
        List<String> keys = objects.list(prefix).stream().map(io.quiver.objectstore.ObjectInfo::key).toList();
        assertThat(keys).isNotEmpty().allMatch(k -> k.substring(prefix.length()).matches("[0-9a-f-]{36}_files/part-[^/]+\\.parquet"));
        forceMaterialized(onDuck);
        assertThat(waitForFill(onDuck)).isEqualTo("SUCCEEDED");
        // Spark's files hold the columns in the types the service's own files have (instants as UTC microseconds, not INT96)
        String duckPrefix = dataPrefix(onDuck);
        assertThat(parquetTypes(keys.get(0))).isEqualTo(parquetTypes(objects.list(duckPrefix).get(0).key()))
                .containsEntry("ts", "TIMESTAMP WITH TIME ZONE");

        List<Map<String, Object>> entities = new ArrayList<>();
        for (int c = 0; c < 22; c++) {
            entities.add(Map.of("customer_id", c)); // two unknown
        }
        String online = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { columns { values statuses eventTimestamps } "
                + "metadata { groups { source } } } }";
        JsonPath spark = ok(online, Map.of("f", List.of(onSpark + ".v"), "e", entities));
        JsonPath duck = ok(online, Map.of("f", List.of(onDuck + ".v"), "e", entities));
        assertThat(spark.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");
        assertThat(spark.<Object>getList("data.onlineFeatures.columns")).isEqualTo(duck.getList("data.onlineFeatures.columns"));
        assertThat(spark.<String>getList("data.onlineFeatures.columns[1].statuses")).contains("PRESENT", "NOT_FOUND");

        byte[] body = Columnar.arrow("SELECT i % 23 AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(CAST(i * 7 % 60 AS BIGINT)) "
                + "AS event_timestamp FROM range(60) t(i)");
        List<Map<String, String>> fromSpark = Columnar.readArrowAsText(trainingSet(body, "features=" + onSpark + ".v&engine=DUCKDB").asByteArray());
        List<Map<String, String>> fromDuck = Columnar.readArrowAsText(trainingSet(body, "features=" + onDuck + ".v&engine=DUCKDB").asByteArray());
        assertThat(fromSpark).hasSize(60).isEqualTo(fromDuck);
        assertThat(fromSpark).filteredOn(r -> r.get("v") != null).isNotEmpty();
    }

    /**
     * A materialization job of a large SPARK group picks each entity's latest row of its range on Spark, from the
     * snapshot's files in the lake: the service downloads nothing, and the online store then answers as for the same
     * data loaded on DuckDB, created-time and write-order ties and the range's end included.
     */
    @Test
    void aMaterializationJobOfASparkGroupPicksTheLatestRowsOnSpark() {
        String e = unique("cust");
        String onSpark = unique("matspark");
        String onDuck = unique("matduck");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(stored(onSpark, e, false, "SPARK"), stored(onDuck, e, false, "DUCKDB")));
        for (int batch = 0; batch < 3; batch++) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                for (int minute = 0; minute < (c == 9 ? 1 : 10); minute++) {
                    // customer 9 has rows before the range only; even customers: the first batch has the latest created time; odd ones tie on it, and the write order decides
                    rows.add(row("customer_id", c, "event_timestamp", BASE.plusSeconds(60L * minute).toString(), "created",
                            BASE.plusSeconds(c % 2 == 0 ? 2 - batch : 0).toString(), "v", minute == 4 && c == 3 ? null : 1000L * batch + 10L * c + minute));
                }
            }
            for (String g : List.of(onSpark, onDuck)) {
                writer.write(g, 0, rows, WriteMode.APPEND, null);
            }
        }
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(stored(onSpark, e, true, "SPARK"), stored(onDuck, e, true, "DUCKDB")));
        String materialize = "mutation($g: String!, $s: DateTime!, $e: DateTime!) { materialize(group: $g, start: $s, end: $e, wait: true) { "
                + "status error engine engineReason } }";
        Map<String, Object> range = Map.of("s", BASE.plusSeconds(60).toString(), "e", BASE.plusSeconds(300).toString());

        double downloads = downloads();
        double latest = io.quiver.support.Metrics.sum("quiver_executor_seconds_count", "executor=\"spark\"", "operation=\"latest\"", "outcome=\"success\"");
        JsonPath job = ok(materialize, with(range, "g", onSpark));
        assertThat(job.getString("data.materialize.status")).isEqualTo("SUCCEEDED");
        assertThat(job.getString("data.materialize.engine")).isEqualTo("SPARK");
        assertThat(job.getString("data.materialize.engineReason")).contains("query_executor_type SPARK").contains("quiver.spark.min-rows (100)");
        assertThat(downloads()).as("object-store downloads while Spark picked the latest rows").isEqualTo(downloads);
        assertThat(io.quiver.support.Metrics.sum("quiver_executor_seconds_count", "executor=\"spark\"", "operation=\"latest\"", "outcome=\"success\""))
                .isEqualTo(latest + 1);
        JsonPath duckJob = ok(materialize, with(range, "g", onDuck));
        assertThat(duckJob.getString("data.materialize.status")).isEqualTo("SUCCEEDED");
        assertThat(duckJob.getString("data.materialize.engine")).isEqualTo("DUCKDB");

        List<Map<String, Object>> entities = new ArrayList<>();
        for (int c = 0; c < 12; c++) {
            entities.add(Map.of("customer_id", c));
        }
        String online = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { columns { values statuses eventTimestamps } } }";
        JsonPath spark = ok(online, Map.of("f", List.of(onSpark + ".v"), "e", entities));
        assertThat(spark.<Object>getList("data.onlineFeatures.columns"))
                .isEqualTo(ok(online, Map.of("f", List.of(onDuck + ".v"), "e", entities)).getList("data.onlineFeatures.columns"));
        List<Object> expected = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            // at the range's last minute: the first batch's value (latest created time) or the last batch's (written last)
            expected.add(c == 3 || c == 9 ? null : (c % 2 == 0 ? 0 : 2000) + 10 * c + 4);
        }
        expected.add(null);
        expected.add(null);
        assertThat(spark.<Object>getList("data.onlineFeatures.columns[1].values")).isEqualTo(expected);
    }

    private static Map<String, Object> stored(String name, String entity, boolean online, String executor) {
        return with(group(name, entity, List.of(feature("v", "BIGINT"))), "createdTimestampColumn", "created", "onlineEnabled", online,
                "config", List.of(Map.of("key", "query_executor_type", "value", executor)));
    }

    /** A fill that fails on Spark midway commits nothing and leaves nothing in the group's data prefix. */
    @Test
    void aFillThatFailsOnSparkLeavesNoTrace() throws InterruptedException {
        // Spark divides by zero with an error (ANSI), where DuckDB answers null: the failure comes while Spark writes
        String source = lakeSource("i % 20 AS customer_id, TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_minutes(CAST(i AS BIGINT)) AS ts, "
                + "CAST(i % 50 AS BIGINT) AS d");
        String e = unique("cust");
        String g = unique("fillfail");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(hybrid(g, e,
                "SELECT customer_id, ts, ts AS created, 100 / d AS v FROM {{silver." + source + "}}", "SPARK")));
        forceMaterialized(g);
        assertThat(waitForFill(g)).isEqualTo("FAILED");
        assertThat(ok("query($g: String!) { strategyHistory(group: $g) { kind reason } }", Map.of("g", g)).<String>getList("data.strategyHistory.reason"))
                .anyMatch(r -> r.contains("the fill failed") && r.contains("DIVIDE_BY_ZERO"));
        assertThat(objects.list(dataPrefix(g))).as("files left by the failed fill").isEmpty();
        assertThat(ok("query($g: String!) { featureGroup(name: $g) { servedAs } }", Map.of("g", g)).getString("data.featureGroup.servedAs"))
                .isEqualTo("VIRTUALIZED");
    }

    /** A silver source of six files in the lake: 300 rows of these columns over {@code i}, a sixth in each file. */
    private String lakeSource(String columns) {
        String source = unique("lakesrc");
        String lake = "lake/" + source + "/";
        for (int f = 0; f < 6; f++) {
            objects.put(lake + (char) ('a' + f) + ".parquet", Columnar.parquet("SELECT " + columns + " FROM range(300) t(i) WHERE i % 6 = " + f));
        }
        ok(VirtualFeaturesTest.REGISTER_SOURCE, Map.of("s", Map.of("name", source, "layer", "SILVER", "location", lake, "format", "PARQUET")));
        return source;
    }

    static Map<String, Object> hybrid(String name, String entity, String template, String executor) {
        Map<String, Object> g = new LinkedHashMap<>(group(name, entity, List.of(feature("v", "DOUBLE"))));
        g.putAll(Map.of("eventTimestampColumn", "ts", "createdTimestampColumn", "created", "mode", "HYBRID", "queryTemplate", template,
                "config", List.of(Map.of("key", "query_executor_type", "value", executor))));
        return g;
    }

    static void forceMaterialized(String g) {
        ok("mutation($g: String!) { forceStrategy(group: $g, strategy: MATERIALIZED, reason: \"test\") { forced } }", Map.of("g", g));
    }

    /** The fill's end state, SUCCEEDED or FAILED, within 90 s. */
    static String waitForFill(String g) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            String state = ok("query($g: String!) { featureGroup(name: $g) { strategy { fillState } } }", Map.of("g", g))
                    .getString("data.featureGroup.strategy.fillState");
            if ("SUCCEEDED".equals(state) || "FAILED".equals(state)) {
                return state;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the fill of " + g + " did not end within 90 s");
    }

    /** The columns of a data file in the object store and their types as DuckDB reads them. */
    private Map<String, String> parquetTypes(String key) {
        try {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("quiver-types", ".parquet");
            try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); java.sql.Statement st = c.createStatement()) {
                objects.download(key, file);
                Map<String, String> types = new LinkedHashMap<>();
                try (java.sql.ResultSet r = st.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
                    while (r.next()) {
                        types.put(r.getString("column_name"), r.getString("column_type"));
                    }
                }
                return types;
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        } catch (java.io.IOException | java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Object-store downloads so far, from the service's own metrics. */
    private static double downloads() {
        return io.quiver.support.Metrics.sum("quiver_store_seconds_count", "operation=\"download\"");
    }
}
