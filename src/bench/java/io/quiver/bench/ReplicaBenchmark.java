package io.quiver.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.online.OnlineKey;
import io.quiver.online.OnlineRecord;
import io.quiver.online.OnlineStore;
import io.quiver.online.RedisOnlineStore;
import io.quiver.support.ClusterRedisResource;
import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.S3ProxyTestResource;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;

/**
 * Replicas issue: (1) the same online reads against a 3-master Redis Cluster (the service's store) and against the
 * single local Redis (a store of the same code in standalone mode), both on this machine: ratio cluster / single per
 * read shape; (2) how long after a registration answers the change notification has come back through PostgreSQL
 * and been applied (what another replica waits), against the bare NOTIFY round trip measured on a plain connection.
 * Prints results; asserts nothing about timings.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ClusterRedisResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ReplicaBenchmark {

    private static final int ENTITIES = 10_000;
    private static final int READS = Integer.getInteger("bench.reads.count", 3_000);

    @Inject
    OnlineStore cluster;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry meters;

    @Test
    void clusterReadsAndInvalidationDelay() throws Exception {
        String url = System.getenv().getOrDefault("QUIVER_TEST_REDIS_URL", "redis://127.0.0.1:6379");
        RedisOnlineStore single = new RedisOnlineStore(Redis.createClient(vertx, url), null, "quiver-bench-replica:", Duration.ofSeconds(5),
                Duration.ofSeconds(30), false, 256, 0, url, null, "single");
        List<String> tables = List.of("rb_a:1:1", "rb_b:1:2", "rb_c:1:3");
        for (String t : tables) {
            List<OnlineRecord> records = new ArrayList<>();
            for (int e = 0; e < ENTITIES; e++) {
                records.add(new OnlineRecord("[" + e + "]", 1_000 + e, "{\"f\":" + e + ",\"g\":\"" + "x".repeat(200) + "\"}"));
            }
            single.write(t, records);
            cluster.write(t, records);
        }
        System.out.printf("%nReplica benchmark: online store reads, %,d entities x 3 tables, %,d reads per shape after %,d warm-up%n",
                ENTITIES, READS, READS / 5);
        System.out.println("| read | single Redis p50 / p99 ms | Redis Cluster (3 masters) p50 / p99 ms | cluster / single p50, p99 |");
        System.out.println("|---|---|---|---|");
        for (int[] shape : new int[][] {{1, 1}, {100, 3}}) {
            double[] s = reads(single, tables, shape[0], shape[1]);
            double[] c = reads(cluster, tables, shape[0], shape[1]);
            System.out.printf("| %d entities x %d tables | %.3f / %.3f | %.3f / %.3f | %.2f, %.2f |%n", shape[0], shape[1], s[0], s[1], c[0], c[1],
                    c[0] / s[0], c[1] / s[1]);
        }
        tables.forEach(single::drop);

        invalidationDelay();
    }

    /** p50 and p99 in ms of reads of {@code entities} random entities from each of {@code tableCount} tables. */
    private static double[] reads(OnlineStore store, List<String> tables, int entities, int tableCount) {
        Random random = new Random(7);
        long[] samples = new long[READS];
        for (int i = -READS / 5; i < READS; i++) {
            List<OnlineKey> keys = new ArrayList<>();
            for (int t = 0; t < tableCount; t++) {
                for (int e = 0; e < entities; e++) {
                    keys.add(new OnlineKey(tables.get(t), "[" + random.nextInt(ENTITIES) + "]"));
                }
            }
            long t0 = System.nanoTime();
            store.read(keys);
            if (i >= 0) {
                samples[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(samples);
        return new double[] {samples[READS / 2] / 1e6, samples[(int) Math.ceil(READS * 0.99) - 1] / 1e6};
    }

    /** Registration answered -> this process's listener applied its notification (as any replica's would). */
    private void invalidationDelay() throws Exception {
        int n = Integer.getInteger("bench.changes", 200);
        GraphQL.register(List.of(GraphQL.entity("rb_user", "user_id", "BIGINT")), List.of());
        double[] applied = new double[n];
        double[] answered = new double[n];
        io.micrometer.core.instrument.Counter heard = meters.get("quiver.registry.invalidations").tag("cause", "notification").counter();
        for (int i = -20; i < n; i++) {
            double before = heard.count();
            long t0 = System.nanoTime();
            // a watcher notes when the notification is applied, which may be before the registration answers
            java.util.concurrent.CompletableFuture<Long> heardAt = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                while (heard.count() == before) {
                    Thread.onSpinWait();
                }
                return System.nanoTime();
            });
            GraphQL.register(List.of(), List.of(GraphQL.group("rb_inv_" + (i + 20), "rb_user", List.of(GraphQL.feature("v", "DOUBLE")))));
            long done = System.nanoTime();
            long at = heardAt.get(10, java.util.concurrent.TimeUnit.SECONDS);
            if (i >= 0) {
                applied[i] = (at - t0) / 1e6;
                answered[i] = (done - t0) / 1e6;
            }
        }
        // baseline: NOTIFY committed on one plain connection, received on another
        double[] bare = new double[n];
        var cfg = ConfigProvider.getConfig();
        String jdbc = cfg.getValue("quarkus.datasource.jdbc.url", String.class);
        String user = cfg.getOptionalValue("quarkus.datasource.username", String.class).orElse("");
        String password = cfg.getOptionalValue("quarkus.datasource.password", String.class).orElse("");
        try (Connection listen = DriverManager.getConnection(jdbc, user, password); Connection send = DriverManager.getConnection(jdbc, user, password);
                Statement l = listen.createStatement(); Statement s = send.createStatement()) {
            l.execute("LISTEN rb_bench");
            PGConnection pg = listen.unwrap(PGConnection.class);
            for (int i = -20; i < n; i++) {
                s.execute("NOTIFY rb_bench, 'x'");
                long t0 = System.nanoTime();
                while (pg.getNotifications(1000) == null) {
                    Thread.onSpinWait();
                }
                if (i >= 0) {
                    bare[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        double[] lag = new double[n];
        for (int i = 0; i < n; i++) {
            lag[i] = Math.max(0, applied[i] - answered[i]);
        }
        Arrays.sort(applied);
        Arrays.sort(answered);
        Arrays.sort(lag);
        Arrays.sort(bare);
        int p99 = (int) Math.ceil(n * 0.99) - 1;
        System.out.printf("%nRegistry changes, %d registrations of one group each (ms from sending the registration):%n", n);
        System.out.println("| | p50 ms | p99 ms |");
        System.out.println("|---|---|---|");
        System.out.printf("| registration answered | %.2f | %.2f |%n", answered[n / 2], answered[p99]);
        System.out.printf("| notification applied by a listening replica | %.2f | %.2f |%n", applied[n / 2], applied[p99]);
        System.out.printf("| applied after the answer (0 when before) | %.2f | %.2f |%n", lag[n / 2], lag[p99]);
        System.out.printf("| baseline: bare NOTIFY round trip, two plain connections | %.2f | %.2f |%n", bare[n / 2], bare[p99]);
        System.out.printf("applied / answered p50 %.2f, p99 %.2f (before: up to the 30,000 ms TTL)%n", applied[n / 2] / answered[n / 2],
                applied[p99] / answered[p99]);
    }
}
