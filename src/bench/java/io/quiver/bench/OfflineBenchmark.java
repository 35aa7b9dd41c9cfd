package io.quiver.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.columnar.ColumnarFormat;
import io.quiver.columnar.ColumnarOutput;
import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Offline store benchmarks (issue: offline store), end to end through the REST API into S3Proxy (filesystem
 * backend) and PostgreSQL, each against a baseline measured in the same run:
 * <ol>
 * <li>Bulk ingest: {@code bench.rows} (default 10M) rows x 20 features (10 DOUBLE, 5 BIGINT, 3 STRING, 2 BOOLEAN) as
 * one Arrow IPC stream to {@code POST /api/v1/groups/{g}/data}, against DuckDB writing the same Arrow stream straight
 * to a local zstd Parquet file.</li>
 * <li>Historical retrieval: {@code bench.entityRows} (default 1M) entity rows against two groups of {@code bench.rows}
 * rows each, through {@code POST /api/v1/historical-features} (Arrow in, Arrow out), against DuckDB running the
 * ASOF joins directly on the same local Parquet files (the service's cached copies) from the same Arrow entity
 * file to an Arrow file: once with the service's exact semantics (tie-breaking, TTL), once as a bare ASOF JOIN.</li>
 * </ol>
 * Client and server share this JVM and its heap ({@code -Xmx} printed); bodies stream from and to files. Prints
 * results; asserts nothing about timings.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FilesystemS3Resource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OfflineBenchmark {

    private static final long ROWS = Long.getLong("bench.rows", 10_000_000L);
    private static final long ENTITY_ROWS = Long.getLong("bench.entityRows", 1_000_000L);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final long CUSTOMERS = Math.max(1, ROWS / 10);
    private static final long STORES = 1_000;
    private static final String ARROW = "application/vnd.apache.arrow.stream";

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void offlineStore() throws Exception {
        Path work = Files.createDirectories(FilesystemS3Resource.scratch.resolve("work"));
        System.out.printf("%nOffline store benchmark: %,d feature rows per group, %,d entity rows, %d cores, -Xmx%d MiB%n",
                ROWS, ENTITY_ROWS, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        register();
        try {
            Path customers = work.resolve("customers.arrows");
            Path stores = work.resolve("stores.arrows");
            Path entities = work.resolve("entities.arrows");
            exportArrow(customersSql(), customers);
            exportArrow(storesSql(), stores);
            exportArrow(entitiesSql(), entities);
            System.out.printf("Arrow inputs: customers %d MiB, stores %d MiB, entities %d MiB%n", Files.size(customers) >> 20,
                    Files.size(stores) >> 20, Files.size(entities) >> 20);

            ingest(customers, work);
            post("/api/v1/groups/bench_stores/data", stores, work.resolve("ignored.json"));
            historical(entities, work);
        } finally {
            try (Stream<Path> files = Files.walk(FilesystemS3Resource.scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void ingest(Path arrow, Path work) throws Exception {
        double[] base = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            Path target = work.resolve("baseline-" + i + ".parquet");
            long t0 = System.nanoTime();
            try (Connection c = duckdb(); Statement s = c.createStatement(); BufferAllocator allocator = new RootAllocator();
                    InputStream in = new BufferedInputStream(Files.newInputStream(arrow), 1 << 20);
                    ArrowStreamReader reader = new ArrowStreamReader(in, allocator);
                    ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
                Data.exportArrayStream(allocator, reader, stream);
                c.unwrap(DuckDBConnection.class).registerArrowStream("upload", stream);
                s.execute("COPY (SELECT * FROM upload) TO '" + target + "' (FORMAT parquet, COMPRESSION zstd)");
            }
            base[i] = (System.nanoTime() - t0) / 1e9;
            Files.delete(target);
        }
        double[] service = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            String answer = post("/api/v1/groups/bench_customers/data" + (i == 0 ? "" : "?mode=OVERWRITE"), arrow, work.resolve("w.json"));
            service[i] = (System.nanoTime() - t0) / 1e9;
            if (!answer.contains("\"rowsWritten\":" + ROWS)) {
                throw new IllegalStateException("unexpected answer: " + answer);
            }
        }
        double b = median(base);
        double s = median(service);
        System.out.printf("Bulk ingest %,d rows x 20 features via POST /api/v1/groups/{g}/data (Arrow IPC -> S3Proxy, committed): "
                + "median %.2f s, %,.0f rows/s (runs %s)%n", ROWS, s, ROWS / s, (round(service)));
        System.out.printf("Baseline DuckDB Arrow -> local zstd Parquet: median %.2f s, %,.0f rows/s (runs %s)%n", b, ROWS / b,
                (round(base)));
        System.out.printf("  -> service rate / baseline rate = %.2f (goal >= 0.5)%n", b / s);
    }

    private void historical(Path entities, Path work) throws Exception {
        String features = "bench_customers.f00,bench_customers.f10,bench_customers.f15,bench_customers.f18,bench_stores.g0,bench_stores.g1";
        String uri = "/api/v1/historical-features?fullFeatureNames=true&features=" + features;
        Path answer = work.resolve("answer.arrows");
        long t0 = System.nanoTime();
        postForFile(uri, entities, answer);
        double cold = (System.nanoTime() - t0) / 1e9;
        double[] service = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            t0 = System.nanoTime();
            postForFile(uri, entities, answer);
            service[i] = (System.nanoTime() - t0) / 1e9;
        }
        long answerRows = countArrowRows(answer);
        if (answerRows != ENTITY_ROWS) {
            throw new IllegalStateException("expected " + ENTITY_ROWS + " rows back, got " + answerRows);
        }
        List<Path> customerFiles = cachedFiles("bench_customers");
        List<Path> storeFiles = cachedFiles("bench_stores");
        double[] exact = new double[RUNS];
        double[] bare = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            exact[i] = directJoin(entities, customerFiles, storeFiles, true, work.resolve("direct.arrows"));
            bare[i] = directJoin(entities, customerFiles, storeFiles, false, work.resolve("direct.arrows"));
        }
        double s = median(service);
        System.out.printf("Historical retrieval %,d entity rows x 2 groups of %,d rows (%d + %d files), 6 features, Arrow in/out "
                + "via POST /api/v1/historical-features: median %.2f s warm (runs %s), %.2f s cold (files fetched from S3)%n",
                ENTITY_ROWS, ROWS, customerFiles.size(), storeFiles.size(), s, (round(service)), cold);
        System.out.printf("Baseline DuckDB direct, same semantics (tie-breaking STRUCT, TTL, input order): median %.2f s (runs %s)%n",
                median(exact), (round(exact)));
        System.out.printf("Baseline DuckDB direct, bare ASOF JOIN (no tie-breaking, no TTL, any order): median %.2f s (runs %s)%n",
                median(bare), (round(bare)));
        System.out.printf("  -> service / direct same semantics = %.2fx, service / bare ASOF = %.2fx (goal <= 1.3x)%n",
                s / median(exact), s / median(bare));
    }

    /** DuckDB alone: the Arrow entity file in, the ASOF joins over the local Parquet files, an Arrow file out. */
    private static double directJoin(Path entities, List<Path> customers, List<Path> stores, boolean exact, Path out) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = duckdb(); Statement s = c.createStatement(); BufferAllocator allocator = new RootAllocator();
                InputStream in = new BufferedInputStream(Files.newInputStream(entities), 1 << 20);
                ArrowStreamReader reader = new ArrowStreamReader(in, allocator);
                ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, reader, stream);
            c.unwrap(DuckDBConnection.class).registerArrowStream("entities_in", stream);
            s.execute("CREATE TABLE e AS SELECT * FROM entities_in");
            String cf = list(customers);
            String sf = list(stores);
            String sql;
            if (exact) {
                sql = "SELECT e.customer_id, e.store_id, e.event_timestamp, e.label, "
                        + "CASE WHEN c.ts >= e.event_timestamp - INTERVAL 2592000 SECOND THEN c.f00 END AS bench_customers__f00, "
                        + "CASE WHEN c.ts >= e.event_timestamp - INTERVAL 2592000 SECOND THEN c.f10 END AS bench_customers__f10, "
                        + "CASE WHEN c.ts >= e.event_timestamp - INTERVAL 2592000 SECOND THEN c.f15 END AS bench_customers__f15, "
                        + "CASE WHEN c.ts >= e.event_timestamp - INTERVAL 2592000 SECOND THEN c.f18 END AS bench_customers__f18, "
                        + "st.g0 AS bench_stores__g0, st.g1 AS bench_stores__g1 "
                        + "FROM (SELECT rowid AS r, * FROM e) e "
                        + "ASOF LEFT JOIN (SELECT customer_id, event_timestamp AS ts, {'t': event_timestamp, 'w': ((list_position(" + cf
                        + ", filename) - 1)::BIGINT << 40) + file_row_number} AS o, f00, f10, f15, f18 FROM read_parquet(" + cf
                        + ", file_row_number = true, filename = true)) c "
                        + "ON e.customer_id = c.customer_id AND {'t': e.event_timestamp, 'w': 9223372036854775807} >= c.o "
                        + "ASOF LEFT JOIN (SELECT store_id, {'t': event_timestamp, 'w': ((list_position(" + sf
                        + ", filename) - 1)::BIGINT << 40) + file_row_number} AS o, g0, g1 FROM read_parquet(" + sf
                        + ", file_row_number = true, filename = true)) st "
                        + "ON e.store_id = st.store_id AND {'t': e.event_timestamp, 'w': 9223372036854775807} >= st.o "
                        + "ORDER BY e.r";
            } else {
                sql = "SELECT e.*, c.f00, c.f10, c.f15, c.f18, st.g0, st.g1 FROM e "
                        + "ASOF LEFT JOIN read_parquet(" + cf + ") c ON e.customer_id = c.customer_id AND e.event_timestamp >= c.event_timestamp "
                        + "ASOF LEFT JOIN read_parquet(" + sf + ") st ON e.store_id = st.store_id AND e.event_timestamp >= st.event_timestamp";
            }
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
                ColumnarOutput.write(c, sql, ColumnarFormat.ARROW_STREAM, o, out.getParent());
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void register() {
        List<Map<String, Object>> customerFeatures = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String type = i < 10 ? "DOUBLE" : i < 15 ? "BIGINT" : i < 18 ? "STRING" : "BOOLEAN";
            customerFeatures.add(GraphQL.feature(String.format("f%02d", i), type));
        }
        // Offline-only: this benchmark measures the offline store (writes also feeding Redis are OnlineBenchmark's).
        Map<String, Object> customers = GraphQL.with(GraphQL.group("bench_customers", "bench_customer", customerFeatures),
                "ttlSeconds", 2_592_000, "onlineEnabled", false);
        Map<String, Object> stores = GraphQL.with(GraphQL.group("bench_stores", "bench_store", List.of(GraphQL.feature("g0", "DOUBLE"),
                GraphQL.feature("g1", "BIGINT"), GraphQL.feature("g2", "DOUBLE"), GraphQL.feature("g3", "STRING"),
                GraphQL.feature("g4", "BOOLEAN"))), "onlineEnabled", false);
        GraphQL.register(List.of(GraphQL.entity("bench_customer", "customer_id", "BIGINT"), GraphQL.entity("bench_store", "store_id", "BIGINT")),
                List.of(customers, stores));
    }

    /** Customers: every customer updated every ~10 days over 100 days; rows in time order, as a pipeline emits them. */
    private static String customersSql() {
        StringBuilder cols = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            String expr = i < 10 ? "round(random() * 1000, 2)" : i < 15 ? "(hash(i * " + (i + 1) + ") % 10000)::BIGINT"
                    : i < 18 ? "['red', 'green', 'blue', 'cyan', 'amber', 'teal', 'gold', 'pink', 'gray', 'navy'][1 + (hash(i + " + i + ") % 10)::INTEGER]"
                            : "hash(i * " + i + ") % 2 = 0";
            cols.append(", ").append(expr).append(String.format(" AS f%02d", i));
        }
        return "SELECT (i % " + CUSTOMERS + ")::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' + to_seconds((i // " + CUSTOMERS
                + ") * 864000 + (hash(i) % 3600)::BIGINT) AS event_timestamp" + cols + " FROM range(" + ROWS + ") t(i)";
    }

    /** Stores: 1,000 stores updated often. */
    private static String storesSql() {
        return "SELECT (i % " + STORES + ")::BIGINT AS store_id, TIMESTAMPTZ '2026-01-01' + to_seconds(((i // " + STORES + ") * 8640000 // ("
                + ROWS + " // " + STORES + "))::BIGINT) AS event_timestamp, random() AS g0, (hash(i) % 100)::BIGINT AS g1, random() AS g2, "
                + "'s' || (i % 7) AS g3, i % 3 = 0 AS g4 FROM range(" + ROWS + ") t(i)";
    }

    /** Labelled events at random times within the data's 100 days. */
    private static String entitiesSql() {
        return "SELECT (hash(i) % " + CUSTOMERS + ")::BIGINT AS customer_id, (hash(i * 31) % " + STORES + ")::BIGINT AS store_id, "
                + "TIMESTAMPTZ '2026-01-01' + to_seconds((hash(i * 7) % 8640000)::BIGINT) AS event_timestamp, (i % 2 = 0) AS label "
                + "FROM range(" + ENTITY_ROWS + ") t(i)";
    }

    static void exportArrow(String sql, Path target) throws Exception {
        try (Connection c = duckdb(); OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            ColumnarOutput.write(c, sql, ColumnarFormat.ARROW_STREAM, out, target.getParent());
        }
    }

    static long countArrowRows(Path file) throws Exception {
        long rows = 0;
        try (BufferAllocator allocator = new RootAllocator(); InputStream in = new BufferedInputStream(Files.newInputStream(file));
                ArrowStreamReader reader = new ArrowStreamReader(in, allocator)) {
            while (reader.loadNextBatch()) {
                rows += reader.getVectorSchemaRoot().getRowCount();
            }
        }
        return rows;
    }

    /** The service's local copies of a group's current files (the cache keeps them under their object keys). */
    static List<Path> cachedFiles(String group) {
        List<String> keys = GraphQL.ok("query($g: String!) { snapshots(group: $g) { files { key } } }", Map.of("g", group))
                .getList("data.snapshots[0].files.key");
        return keys.stream().map(k -> FilesystemS3Resource.scratch.resolve("cache").resolve(k)).toList();
    }

    private String post(String path, Path body, Path answer) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", ARROW)
                .POST(HttpRequest.BodyPublishers.ofFile(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private void postForFile(String path, Path body, Path answer) throws Exception {
        HttpResponse<Path> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", ARROW)
                .POST(HttpRequest.BodyPublishers.ofFile(body)).build(), HttpResponse.BodyHandlers.ofFile(answer));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + Files.readString(answer));
        }
    }

    static String list(List<Path> files) {
        return files.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    static Connection duckdb() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
        }
        return c;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static String round(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format("%.2f", v)).collect(Collectors.joining(", "));
    }
}
