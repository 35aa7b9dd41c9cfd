package io.quiver.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.SparkConnectTestResource;

/**
 * Point-in-time retrieval on DuckDB and on Spark (issue: scale-out), in one run on the same data: one group of
 * {@code bench.pitRows} (default 10,000,000) rows over {@code bench.pitUsers} (1,000,000) users, and an entity table of
 * {@code bench.pitEntityRows} (1,000,000) rows, sent to {@code POST /api/v1/historical-features} as Arrow with
 * {@code engine=DUCKDB} and {@code engine=SPARK} (Spark 4.2 Connect in local[2], a child process with
 * {@code -DsparkTestXmx}, default 2g), answers as Parquet. Both answers are compared row for row. Reports
 * the end-to-end time of each (the Spark answer streams back into the service). Asserts nothing about timings.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FilesystemS3Resource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = SparkConnectTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SparkPointInTimeBenchmark {

    private static final long ROWS = Long.getLong("bench.pitRows", 10_000_000L);
    private static final long USERS = Long.getLong("bench.pitUsers", 1_000_000L);
    private static final long ENTITY_ROWS = Long.getLong("bench.pitEntityRows", 1_000_000L);
    private static final int FILES = 4;
    private static final int RUNS = Integer.getInteger("bench.runs", 2);
    private static final String ARROW = "application/vnd.apache.arrow.stream";
    private static final String PARQUET = "application/vnd.apache.parquet";

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI base;

    private final java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    @Test
    void pointInTimeOnDuckDbAndSpark() throws Exception {
        Path work = Files.createDirectories(FilesystemS3Resource.scratch.resolve("pit"));
        System.out.printf("%nPoint-in-time benchmark: %,d feature rows (%,d users), %,d entity rows, %d cores, service -Xmx%d MiB%n",
                ROWS, USERS, ENTITY_ROWS, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        try {
            GraphQL.register(List.of(GraphQL.entity("pit_user", "user_id", "BIGINT")), List.of(GraphQL.with(GraphQL.group("pit_g", "pit_user",
                    List.of(GraphQL.feature("v", "DOUBLE"), GraphQL.feature("w", "BIGINT"))), "onlineEnabled", false)));
            long t0 = System.nanoTime();
            for (int f = 0; f < FILES; f++) {
                Path data = work.resolve("g" + f + ".arrows");
                long from = ROWS * f / FILES;
                long to = ROWS * (f + 1) / FILES;
                // every user about every 10 days over 100 days, with ties on event time across files
                OfflineBenchmark.exportArrow("SELECT (hash(i) % " + USERS + ")::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01' + "
                        + "to_seconds((hash(i * 3) % 8640)::BIGINT * 1000) AS event_timestamp, (hash(i * 5) % 100000) / 100.0 AS v, "
                        + "i AS w FROM range(" + from + ", " + to + ") t(i)", data);
                send("/api/v1/groups/pit_g/data", ARROW, "application/json", data, work.resolve("written.json"));
                Files.delete(data);
            }
            System.out.printf("written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Path entities = work.resolve("entities.arrows");
            OfflineBenchmark.exportArrow("SELECT (hash(i * 7) % " + (USERS + USERS / 10) + ")::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01' + "
                    + "to_seconds((hash(i * 11) % 8640000)::BIGINT) AS event_timestamp, i AS label_id FROM range(" + ENTITY_ROWS + ") t(i)", entities);

            Map<String, double[]> times = new java.util.LinkedHashMap<>();
            for (String engine : List.of("DUCKDB", "SPARK")) {
                double[] t = new double[RUNS + 1];
                for (int i = 0; i <= RUNS; i++) { // the first run of each engine is reported apart (file fetch, JIT, Spark's first job)
                    long s = System.nanoTime();
                    send("/api/v1/historical-features?features=pit_g.v&features=pit_g.w&engine=" + engine, ARROW, PARQUET, entities,
                            work.resolve(engine + ".parquet"));
                    t[i] = (System.nanoTime() - s) / 1e9;
                }
                times.put(engine, t);
            }
            long[] check = compare(work.resolve("DUCKDB.parquet"), work.resolve("SPARK.parquet"));
            if (check[0] != ENTITY_ROWS || check[1] != 0) {
                throw new IllegalStateException("the answers differ: " + check[0] + " rows, " + check[1] + " rows not in both");
            }
            System.out.println("| engine | first run s | warm median s (runs) |");
            System.out.println("|---|---|---|");
            for (Map.Entry<String, double[]> e : times.entrySet()) {
                double[] warm = java.util.Arrays.copyOfRange(e.getValue(), 1, RUNS + 1);
                System.out.printf("| %s | %.2f | %.2f (%s) |%n", e.getKey(), e.getValue()[0], OfflineBenchmark.median(warm), OfflineBenchmark.round(warm));
            }
            double d = OfflineBenchmark.median(java.util.Arrays.copyOfRange(times.get("DUCKDB"), 1, RUNS + 1));
            double s = OfflineBenchmark.median(java.util.Arrays.copyOfRange(times.get("SPARK"), 1, RUNS + 1));
            System.out.printf("  -> Spark local[2] / DuckDB = %.2fx; %,d answer rows identical (%d with a match)%n", s / d, check[0], check[2]);
        } finally {
            try (Stream<Path> all = Files.walk(work)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {rows of a, rows in one answer only, rows of a with a match}. */
    private static long[] compare(Path a, Path b) throws Exception {
        try (Connection c = OfflineBenchmark.duckdb(); Statement s = c.createStatement()) {
            String ra = "read_parquet('" + a + "')";
            String rb = "read_parquet('" + b + "')";
            try (ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM " + ra + "), (SELECT count(*) FROM (SELECT * FROM " + ra
                    + " EXCEPT ALL SELECT * FROM " + rb + ")) + (SELECT count(*) FROM (SELECT * FROM " + rb + " EXCEPT ALL SELECT * FROM " + ra
                    + ")), (SELECT count(v) FROM " + ra + ")")) {
                r.next();
                return new long[] {r.getLong(1), r.getLong(2), r.getLong(3)};
            }
        }
    }

    private void send(String path, String contentType, String accept, Path body, Path answer) throws Exception {
        java.net.http.HttpResponse<Path> r = http.send(java.net.http.HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .header("Accept", accept).POST(java.net.http.HttpRequest.BodyPublishers.ofFile(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofFile(answer));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + Files.readString(answer));
        }
    }
}
