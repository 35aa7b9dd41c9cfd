package io.quiver.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quiver.config.QuiverConfigDefaultsTest;
import io.quiver.objectstore.LocalObjectStore;
import io.quiver.offline.ObjectFileCache;
import io.quiver.support.SparkConnectServer;

/**
 * The Spark Connect executor against the same contract as DuckDB's, on a real Spark Connect server (Spark 4.2 in
 * local mode, a child process started from Maven jars), with the local sandbox that writes its answers.
 */
class SparkQueryExecutorTest extends QueryExecutorContract {

    @TempDir
    static Path dir;

    private static VirtualEngine engine;
    private static SparkEngine spark;
    private static SparkQueryExecutor executor;
    private static Path cacheDir;

    @BeforeAll
    static void start() throws Exception {
        var config = QuiverConfigDefaultsTest.config(Map.of("quiver.spark.url", SparkConnectServer.shared().url(),
                "quiver.spark.query-timeout", "PT20S", "quiver.virtual.scratch-directory", dir.resolve("scratch").toString()));
        ObjectFileCache cache = new ObjectFileCache(new LocalObjectStore(dir.resolve("objects")), dir.resolve("cache"), 1L << 30);
        cacheDir = cache.directory();
        engine = new VirtualEngine(config, cache);
        spark = new SparkEngine(config);
        executor = new SparkQueryExecutor(spark, engine);
        Files.createDirectories(cacheDir.resolve("lake"));
    }

    @AfterAll
    static void stop() {
        spark.close();
        engine.close();
    }

    @Override
    QueryExecutor executor() {
        return executor;
    }

    @Override
    Path inputs() {
        return cacheDir.resolve("lake");
    }

    @Override
    Path outputs() {
        return engine.scratch();
    }

    @Test
    void sparkOwnWaysOutAreRefused() throws Exception {
        for (String escape : List.of(
                "SELECT reflect('java.lang.System', 'getenv', 'HOME') AS h, * FROM {{silver.tx}}",
                "SELECT java_method('java.lang.Runtime', 'getRuntime') AS r, * FROM {{silver.tx}}",
                "SELECT input_file_name() AS f, * FROM {{silver.tx}}",
                "SELECT * FROM {{silver.tx}}, parquet.`/etc`",
                "SELECT * FROM {{silver.tx}}, read_files('/etc/hosts')")) {
            assertThat(executor().describe(query(escape, List.of(), List.of(), Map.of())).problems()).as(escape).isNotEmpty();
        }
        // registration checks templates with DuckDB only: a run checks them again, with Spark's own list
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor().slice(query("SELECT customer_id, ts, "
                + "CAST(reflect('java.lang.System', 'getenv', 'HOME') AS DOUBLE) AS amount FROM {{silver.tx}}", List.of(lakeFile()), List.of(),
                Map.of()), new QueryExecutor.Shape(LAYOUT, List.of("customer_id"), null, "ts", null, null, List.of()), outputs().resolve("r.parquet")))
                .isInstanceOf(io.quiver.error.QuiverException.class).hasMessageContaining("may not run on Spark").hasMessageContaining("reflect");
    }

    /** A query that fails on the server while its answer streams reports Spark's error, as any Spark failure does. */
    @Test
    void aFailureWhileTheAnswerStreamsIsSparksOwnError() throws Exception {
        Path file = lakeFile();
        QueryExecutor.Shape shape = new QueryExecutor.Shape(LAYOUT, List.of("customer_id"), null, "ts", null, null, List.of("customer_id", "ts"));
        // Spark divides by zero with an error (ANSI) once it reaches customer 0's rows
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor.slice(query("SELECT customer_id, ts, 1 / (customer_id * 1.0) AS amount "
                + "FROM {{silver.tx}}", List.of(file), List.of(), Map.of()), shape, outputs().resolve("failed.parquet")))
                .isInstanceOf(io.quiver.error.QuiverException.class).hasMessageContaining("the query failed on Spark")
                .hasMessageContaining("DIVIDE_BY_ZERO").hasMessageNotContaining("__quiver_");
    }

    /** An answer past quiver.spark.max-result-rows fails as too large and writes no answer file; one within it is whole. */
    @Test
    void anAnswerPastTheRowBoundIsRefused() throws Exception {
        var config = QuiverConfigDefaultsTest.config(Map.of("quiver.spark.url", SparkConnectServer.shared().url(),
                "quiver.spark.max-result-rows", "500", "quiver.virtual.scratch-directory", dir.resolve("scratch").toString()));
        SparkEngine bounded = new SparkEngine(config);
        try {
            SparkQueryExecutor small = new SparkQueryExecutor(bounded, engine);
            Path file = lakeFile();
            QueryExecutor.Shape shape = new QueryExecutor.Shape(LAYOUT, List.of("customer_id"), null, "ts", null, null, List.of("customer_id", "ts"));
            Path tooLarge = outputs().resolve("too-large.parquet");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> small.slice(query("SELECT customer_id, ts, amount FROM {{silver.tx}}",
                    List.of(file), List.of(), Map.of()), shape, tooLarge)).isInstanceOf(io.quiver.error.QuiverException.class)
                    .hasMessageContaining("more than 500 rows").hasMessageContaining("quiver.spark.max-result-rows")
                    .satisfies(e -> assertThat(((io.quiver.error.QuiverException) e).code()).isEqualTo(io.quiver.error.ErrorCode.REQUEST_TOO_LARGE));
            assertThat(tooLarge).doesNotExist();
            Path within = outputs().resolve("within.parquet");
            assertThat(small.slice(query("SELECT customer_id, ts, amount FROM {{silver.tx}} WHERE customer_id < 50", List.of(file), List.of(),
                    Map.of()), shape, within)).isEqualTo(500);
            assertThat(rows(within)).hasSize(500);
        } finally {
            bounded.close();
        }
    }

    @Override
    java.time.Duration queryTimeout() {
        return java.time.Duration.ofSeconds(20);
    }

    @Override
    String timeoutSetting() {
        return "quiver.spark.query-timeout";
    }

    @Override
    String entityFilterInScan() {
        return "PushedFilters: \\[[^\\]]*EqualTo\\(customer_id,42\\)";
    }
}
