package io.quiver.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
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
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.columnar.ColumnarFormat;
import io.quiver.columnar.ColumnarOutput;
import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;

/**
 * A wide training set (issue: feature services): {@code bench.wideEntityRows} (default 17,000) entity rows against 10
 * groups x 100 DOUBLE features (1,000 features) of {@code bench.wideRows} (default 200,000) rows each, requested as
 * a multipart body through {@code POST /api/v1/historical-features} (Arrow in and out), against DuckDB running the
 * ten ASOF joins directly on the same local Parquet files. Reports time and the peak heap used while the request runs
 * (client and service share this JVM). Asserts nothing about timings.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FilesystemS3Resource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class WideTrainingSetBenchmark {

    private static final int GROUPS = 10;
    private static final int FEATURES = 100;
    private static final long ROWS = Long.getLong("bench.wideRows", 200_000L);
    private static final long ENTITY_ROWS = Long.getLong("bench.wideEntityRows", 17_000L);
    private static final long USERS = Math.max(1, ROWS / 10);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    private static final String ARROW = "application/vnd.apache.arrow.stream";

    @Test
    void wideTrainingSet() throws Exception {
        Path work = Files.createDirectories(FilesystemS3Resource.scratch.resolve("wide"));
        System.out.printf("%nWide training set benchmark: %,d entity rows, %d groups x %d features, %,d rows per group, %d cores, -Xmx%d MiB%n",
                ENTITY_ROWS, GROUPS, FEATURES, ROWS, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try {
            List<String> features = register();
            for (int g = 0; g < GROUPS; g++) {
                Path data = work.resolve("g" + g + ".arrows");
                OfflineBenchmark.exportArrow(groupSql(g), data);
                send("/api/v1/groups/wide_g" + g + "/data", ARROW, data, work.resolve("written.json"));
                Files.delete(data);
            }
            Path entities = work.resolve("entities.arrows");
            OfflineBenchmark.exportArrow("SELECT (hash(i) % " + USERS + ")::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01' + "
                    + "to_seconds((hash(i * 7) % 8640000)::BIGINT) AS event_timestamp FROM range(" + ENTITY_ROWS + ") t(i)", entities);
            String request = io.quiver.json.Json.write(Map.of("features", features, "fullFeatureNames", true));
            Path answer = work.resolve("answer.arrows");
            Path form = multipart(request, entities, work.resolve("form.bin"));

            double[] service = new double[RUNS + 1];
            long[] heap = new long[RUNS + 1];
            for (int i = 0; i <= RUNS; i++) { // the first run fetches the files from S3: reported apart
                long[] peak = {0};
                long t0 = System.nanoTime();
                peak[0] = withPeakHeap(() -> {
                    send("/api/v1/historical-features", "multipart/form-data; boundary=" + BOUNDARY, form, answer);
                    return null;
                });
                service[i] = (System.nanoTime() - t0) / 1e9;
                heap[i] = peak[0];
            }
            long rows = OfflineBenchmark.countArrowRows(answer);
            if (rows != ENTITY_ROWS) {
                throw new IllegalStateException("expected " + ENTITY_ROWS + " rows back, got " + rows);
            }
            List<List<Path>> files = new ArrayList<>();
            for (int g = 0; g < GROUPS; g++) {
                files.add(OfflineBenchmark.cachedFiles("wide_g" + g));
            }
            double[] direct = new double[RUNS];
            long[] directHeap = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                int run = i;
                directHeap[i] = withPeakHeap(() -> {
                    directJoin(entities, files, work.resolve("direct.arrows"));
                    return null;
                });
                direct[run] = (System.nanoTime() - t0) / 1e9;
            }
            double[] warm = java.util.Arrays.copyOfRange(service, 1, RUNS + 1);
            double s = OfflineBenchmark.median(warm);
            double d = OfflineBenchmark.median(direct);
            System.out.println("| path | median s (runs) | peak heap used MiB |");
            System.out.println("|---|---|---|");
            System.out.printf("| service, multipart, 1,000 features, cold (files from S3) | %.2f | %d |%n", service[0], heap[0] >> 20);
            System.out.printf("| service, multipart, 1,000 features, warm | %.2f (%s) | %d |%n", s, OfflineBenchmark.round(warm),
                    java.util.Arrays.stream(heap, 1, RUNS + 1).max().orElse(0) >> 20);
            System.out.printf("| DuckDB direct, 10 bare ASOF JOINs, same files | %.2f (%s) | %d |%n", d, OfflineBenchmark.round(direct),
                    java.util.Arrays.stream(directHeap).max().orElse(0) >> 20);
            System.out.printf("  -> service / direct = %.2fx; answer %d MiB%n", s / d, Files.size(answer) >> 20);
        } finally {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static final String BOUNDARY = "quiver-bench-boundary";

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI base;

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    /** POSTs the file (no client timeout: a write of 20M values takes a while) and keeps the answer in a file. */
    private void send(String path, String contentType, Path body, Path answer) throws Exception {
        java.net.http.HttpResponse<Path> r = http.send(java.net.http.HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .header("Accept", path.endsWith("/data") ? "application/json" : ARROW).POST(java.net.http.HttpRequest.BodyPublishers.ofFile(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofFile(answer));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + Files.readString(answer));
        }
    }

    /** A multipart/form-data body: the JSON part 'request', then the entity table as part 'entities'. */
    private static Path multipart(String request, Path entities, Path target) throws Exception {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20)) {
            out.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"request\"\r\nContent-Type: application/json\r\n\r\n"
                    + request + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"entities\"; filename=\"entities.arrows\"\r\n"
                    + "Content-Type: " + ARROW + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Files.copy(entities, out);
            out.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return target;
    }

    /** Runs the work while sampling the heap every 5 ms; returns the most used above what was used before. */
    private static long withPeakHeap(java.util.concurrent.Callable<Void> work) throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = memory.getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(before);
        AtomicBoolean done = new AtomicBoolean();
        Thread sampler = new Thread(() -> {
            while (!done.get()) {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        try {
            work.call();
        } finally {
            done.set(true);
            sampler.join();
        }
        return Math.max(0, peak.get() - before);
    }

    private static List<String> register() {
        List<Map<String, Object>> groups = new ArrayList<>();
        List<String> references = new ArrayList<>();
        for (int g = 0; g < GROUPS; g++) {
            List<Map<String, Object>> features = new ArrayList<>();
            for (int j = 0; j < FEATURES; j++) {
                features.add(GraphQL.feature("f" + j, "DOUBLE"));
                references.add("wide_g" + g + ".f" + j);
            }
            groups.add(GraphQL.with(GraphQL.group("wide_g" + g, "wide_user", features), "onlineEnabled", false));
        }
        GraphQL.register(List.of(GraphQL.entity("wide_user", "user_id", "BIGINT")), groups);
        return references;
    }

    /** Every user updated every ~10 days over 100 days. */
    private static String groupSql(int g) {
        StringBuilder cols = new StringBuilder();
        for (int j = 0; j < FEATURES; j++) {
            cols.append(", (hash(i * ").append(g * FEATURES + j + 1).append(") % 100000) / 100.0 AS f").append(j);
        }
        return "SELECT (i % " + USERS + ")::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01' + to_seconds((i // " + USERS
                + ") * 864000 + (hash(i) % 3600)::BIGINT) AS event_timestamp" + cols + " FROM range(" + ROWS + ") t(i)";
    }

    /** DuckDB alone: the entity file in, ten bare ASOF joins over the local Parquet files, an Arrow file out. */
    private static void directJoin(Path entities, List<List<Path>> files, Path out) throws Exception {
        try (Connection c = OfflineBenchmark.duckdb(); Statement s = c.createStatement(); BufferAllocator allocator = new RootAllocator();
                InputStream in = new BufferedInputStream(Files.newInputStream(entities), 1 << 20);
                ArrowStreamReader reader = new ArrowStreamReader(in, allocator);
                ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, reader, stream);
            c.unwrap(DuckDBConnection.class).registerArrowStream("entities_in", stream);
            s.execute("CREATE TABLE e AS SELECT * FROM entities_in");
            StringBuilder select = new StringBuilder("SELECT e.*");
            StringBuilder from = new StringBuilder(" FROM e");
            for (int g = 0; g < GROUPS; g++) {
                for (int j = 0; j < FEATURES; j++) {
                    select.append(", g").append(g).append(".f").append(j).append(" AS wide_g").append(g).append("__f").append(j);
                }
                from.append(" ASOF LEFT JOIN read_parquet(").append(OfflineBenchmark.list(files.get(g))).append(") g").append(g)
                        .append(" ON e.user_id = g").append(g).append(".user_id AND e.event_timestamp >= g").append(g).append(".event_timestamp");
            }
            try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
                ColumnarOutput.write(c, select.toString() + from, ColumnarFormat.ARROW_STREAM, o, out.getParent());
            }
        }
    }
}
