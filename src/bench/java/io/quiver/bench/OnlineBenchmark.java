package io.quiver.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.online.OnlineCodec;
import io.quiver.registry.RegistryCatalog;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;

/**
 * Online serving benchmarks (issue: online serving), against the real Redis, each with a baseline measured in the
 * same run:
 * <ol>
 * <li>Online read latency (p50/p99/p999) and throughput under a bounded concurrent load ({@code bench.clients}
 * client threads, {@code bench.seconds} each) for (a) 1 entity x 50 features of 1 group and (b) 100 entities x 50
 * features of 3 groups, through GraphQL and through {@code /get-online-features}; baseline: the bare Redis client the
 * service uses, fetching exactly the same keys in one pipeline, under the same load. Then (b) again after the
 * registry grew from 10 to 1,000 groups.</li>
 * <li>Materialization of {@code bench.rows} (default 10M) offline rows (1M entities) into Redis, against a bare
 * pipelined bulk load of the same records.</li>
 * </ol>
 * Client and service share this JVM and its 2 cores with Redis. Prints results; asserts nothing about timings.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class OnlineBenchmark {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 2);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 8);
    private static final int ENTITIES = 10_000;
    private static final long ROWS = Long.getLong("bench.rows", 10_000_000L);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI base;

    @Inject
    Redis redis;

    @Inject
    RegistryCatalog catalog;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String prefix;

    @Test
    void onlineServing() throws Exception {
        prefix = ConfigProvider.getConfig().getValue("quiver.online.key-prefix", String.class);
        if (!Boolean.parseBoolean(System.getProperty("bench.reads", "true"))) {
            materialization();
            return;
        }
        System.out.printf("%nOnline serving benchmark: %d client threads, %d s per run, %d cores%n", CLIENTS, SECONDS,
                Runtime.getRuntime().availableProcessors());
        register("bo_a", 50);
        register("bo_b", 20);
        register("bo_c", 10);
        for (int i = 0; i < 7; i++) {
            register("bo_small_" + i, 1);
        }
        for (String g : List.of("bo_a", "bo_b", "bo_c")) {
            int features = g.equals("bo_a") ? 50 : g.equals("bo_b") ? 20 : 10;
            String cols = IntStream.range(0, features).mapToObj(i -> "random() AS f" + i).collect(Collectors.joining(", "));
            BulkRest.write(g, Columnar.ARROW, Columnar.arrow("SELECT i::BIGINT AS user_id, now() - INTERVAL 1 MINUTE AS event_timestamp, "
                    + cols + " FROM range(" + ENTITIES + ") t(i)", 10_000), null).statusCode(200);
        }

        List<String> single = IntStream.range(0, 50).mapToObj(i -> "bo_a.f" + i).toList();
        List<String> three = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> three.add("bo_a.f" + i));
        IntStream.range(0, 20).forEach(i -> three.add("bo_b.f" + i));
        IntStream.range(0, 10).forEach(i -> three.add("bo_c.f" + i));

        System.out.println("Registry: 10 groups");
        Result floor = load(seed -> get("/api/v1/features/bo_a.f" + (seed % 50)));
        System.out.println("HTTP floor (GET /api/v1/features/{ref}: a cached registry lookup, small JSON): " + floor);
        scenario("(a) 1 entity x 50 features, 1 group", single, 1, List.of("bo_a"));
        Stats b10 = scenario("(b) 100 entities x 50 features, 3 groups", three, 100, List.of("bo_a", "bo_b", "bo_c"));

        long t0 = System.nanoTime();
        for (int batch = 0; batch < 20; batch++) {
            List<Map<String, Object>> groups = new ArrayList<>();
            for (int i = 0; i < 50 && 10 + batch * 50 + i < 1_000; i++) {
                groups.add(GraphQL.group("bo_many_" + (batch * 50 + i), "bo_user", List.of(GraphQL.feature("v", "DOUBLE"))));
            }
            if (!groups.isEmpty()) {
                GraphQL.register(List.of(), groups);
            }
        }
        System.out.printf("Registry grown to 1,000 groups in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Stats b1000 = scenario("(b) 100 entities x 50 features, 3 groups", three, 100, List.of("bo_a", "bo_b", "bo_c"));
        System.out.printf("  -> flatness: REST p99 with 1,000 groups / with 10 groups = %.2f, GraphQL %.2f%n",
                b1000.restP99() / b10.restP99(), b1000.graphqlP99() / b10.graphqlP99());

        if (ROWS > 0) {
            materialization();
        }
    }

    private static void register(String group, int features) {
        List<Map<String, Object>> fs = new ArrayList<>();
        for (int i = 0; i < features; i++) {
            fs.add(GraphQL.feature("f" + i, "DOUBLE"));
        }
        GraphQL.register(List.of(GraphQL.entity("bo_user", "user_id", "BIGINT")), List.of(GraphQL.group(group, "bo_user", fs)));
    }

    record Stats(double restP99, double graphqlP99) {
    }

    private Stats scenario(String label, List<String> features, int entities, List<String> groups) throws Exception {
        IntFunction<List<Long>> ids = seed -> {
            Random r = new Random(seed);
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < entities; i++) {
                out.add((long) r.nextInt(ENTITIES));
            }
            return out;
        };
        // bare: the same keys, one pipeline of HMGETs
        Map<String, String> tables = new HashMap<>();
        groups.forEach(g -> tables.put(g, OnlineCodec.table(catalog.group(g, 0).group())));
        Result bare = load(seed -> {
            List<Request> batch = new ArrayList<>();
            for (String g : groups) {
                for (long id : ids.apply(seed)) {
                    batch.add(Request.cmd(Command.HMGET).arg(prefix + tables.get(g) + ":[" + id + "]").arg("t").arg("c").arg("v"));
                }
            }
            redis.batch(batch).await().atMost(Duration.ofSeconds(5));
        });
        Result rest = load(seed -> {
            Map<String, Object> body = Map.of("features", features.stream().map(f -> f.replace('.', ':')).toList(),
                    "entities", Map.of("user_id", ids.apply(seed)), "full_feature_names", true);
            post("/get-online-features", JSON.writeValueAsString(body));
        });
        String query = "query($f: [String!]!, $e: [JSON!]!, $full: Boolean) { onlineFeatures(features: $f, entities: $e, fullFeatureNames: $full) "
                + "{ columns { name values statuses } } }";
        Result graphql = load(seed -> {
            List<Map<String, Object>> rows = ids.apply(seed).stream().map(id -> Map.<String, Object>of("user_id", id)).toList();
            Map<String, Object> body = new HashMap<>();
            body.put("query", query);
            body.put("variables", Map.of("f", features, "e", rows, "full", true));
            post("/graphql", JSON.writeValueAsString(body));
        });
        System.out.println(label);
        System.out.println("  bare Redis pipeline: " + bare);
        System.out.println("  /get-online-features: " + rest + String.format("  -> p99 / (bare p99 + 1 ms) = %.2f", rest.p99 / (bare.p99 + 1)));
        System.out.println("  GraphQL onlineFeatures: " + graphql + String.format("  -> p99 / (bare p99 + 1 ms) = %.2f", graphql.p99 / (bare.p99 + 1)));
        return new Stats(rest.p99, graphql.p99);
    }

    private void get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private void post(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || r.body().contains("\"errors\"") || r.body().contains("\"degraded\":true")) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body().substring(0, Math.min(500, r.body().length())));
        }
    }

    interface Call {
        void run(int seed) throws Exception;
    }

    record Result(double p50, double p99, double p999, double perSecond, int requests) {
        @Override
        public String toString() {
            return String.format("p50 %.2f ms, p99 %.2f ms, p999 %.2f ms, %.0f req/s (%d requests)", p50, p99, p999, perSecond, requests);
        }
    }

    /** Runs the call from CLIENTS threads for 2 s of warm-up, then SECONDS measured; latencies in ms. */
    private static Result load(Call call) throws Exception {
        run(call, 2, 1);
        return run(call, SECONDS, 1_000_000);
    }

    private static Result run(Call call, int seconds, int seedBase) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            futures.add(pool.submit((Callable<long[]>) () -> {
                long[] samples = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    call.run(seedBase + client * 1_000_003 + n);
                    if (n == samples.length) {
                        samples = Arrays.copyOf(samples, n * 2);
                    }
                    samples[n++] = System.nanoTime() - t0;
                }
                return Arrays.copyOf(samples, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(pct(merged, 0.50), pct(merged, 0.99), pct(merged, 0.999), merged.length / elapsed, merged.length);
    }

    private static double pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    private void materialization() throws Exception {
        long entities = Math.max(1, ROWS / 10);
        GraphQL.register(List.of(GraphQL.entity("bo_user", "user_id", "BIGINT")), List.of(GraphQL.with(GraphQL.group("bo_mat", "bo_user",
                List.of(GraphQL.feature("x", "DOUBLE"), GraphQL.feature("y", "BIGINT"), GraphQL.feature("z", "STRING"))), "onlineEnabled", false)));
        for (long start = 0; start < ROWS; start += 500_000) {
            long n = Math.min(500_000, ROWS - start);
            BulkRest.write("bo_mat", Columnar.ARROW, Columnar.arrow("SELECT (i % " + entities + ")::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01' "
                    + "+ to_seconds(i) AS event_timestamp, random() AS x, i AS y, 'v' || (i % 100) AS z FROM range(" + start + ", " + (start + n)
                    + ") t(i)", 65_536), null).statusCode(200);
        }
        GraphQL.register(List.of(GraphQL.entity("bo_user", "user_id", "BIGINT")), List.of(GraphQL.group("bo_mat", "bo_user",
                List.of(GraphQL.feature("x", "DOUBLE"), GraphQL.feature("y", "BIGINT"), GraphQL.feature("z", "STRING")))));
        long t0 = System.nanoTime();
        var job = GraphQL.ok("mutation { materializeIncremental(group: \"bo_mat\", wait: true) { status entities rowsRead error } }", Map.of());
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!"SUCCEEDED".equals(job.getString("data.materializeIncremental.status"))) {
            throw new IllegalStateException("materialization failed: " + job.getString("data.materializeIncremental.error"));
        }
        long written = job.getLong("data.materializeIncremental.entities");

        // bare: the same number of records of the same size, HSET in pipelines of 1,000 (the client queues at most 2,048)
        String payload = "{\"x\":0.123456789012345,\"y\":1234567,\"z\":\"v42\"}";
        long b0 = System.nanoTime();
        List<Request> batch = new ArrayList<>();
        for (long i = 0; i < written; i++) {
            batch.add(Request.cmd(Command.HSET).arg(prefix + "bare:" + i).arg("t").arg("1767225600000000").arg("c")
                    .arg("-9223372036854775808").arg("v").arg(payload));
            if (batch.size() == 1_000) {
                redis.batch(batch).await().atMost(Duration.ofSeconds(30));
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            redis.batch(batch).await().atMost(Duration.ofSeconds(30));
        }
        double bare = (System.nanoTime() - b0) / 1e9;
        System.out.printf("Materialization of %,d offline rows (%,d entities) into Redis: %.2f s, %,.0f rows/s read, %,.0f entities/s written%n",
                job.getLong("data.materializeIncremental.rowsRead"), written, seconds,
                job.getLong("data.materializeIncremental.rowsRead") / seconds, written / seconds);
        System.out.printf("Baseline bare pipelined HSET of %,d records of the same size: %.2f s, %,.0f records/s%n", written, bare, written / bare);
        System.out.printf("  -> materialization entities/s / bare records/s = %.2f%n", (written / seconds) / (written / bare));
    }
}
