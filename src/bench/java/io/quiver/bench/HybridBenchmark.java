package io.quiver.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.access.AccessPath;
import io.quiver.access.AccessRecorder;
import io.quiver.config.Mode;
import io.quiver.hybrid.HybridSelector;
import io.quiver.objectstore.ObjectStore;
import io.quiver.offline.Snapshot;
import io.quiver.offline.SnapshotLog;
import io.quiver.registry.RegistryCatalog;
import io.quiver.serving.OnlineResult;
import io.quiver.serving.OnlineServing;
import io.quiver.support.Columnar;
import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import jakarta.inject.Inject;

/**
 * The hybrid selector (issue: hybrid selector): one mixed workload of online reads replayed against three
 * configurations of the same six groups in the same run: all forced MATERIALIZED, all forced VIRTUALIZED, all HYBRID
 * (the selector decides; a round every {@code ROUND_EVERY} reads stands for one decision TTL).
 * <ul>
 * <li>two hot small groups (2,000 rows each), read by most requests;</li>
 * <li>two cold large groups (2M rows each), read a few times;</li>
 * <li>a group whose virtual query is slow (a window over 300k rows that no key filter can enter), read often;</li>
 * <li>a group nobody reads in the first half and many read in the second (the change of pattern).</li>
 * </ul>
 * Reported per configuration: p50/p99 read latency, compute time (virtual reads plus fills), bytes stored (offline and online), fills;
 * for HYBRID the reads until the changed group was served from stored data. And the cost of recording one access
 * against the p50 of an online read. Prints; asserts no timing.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FilesystemS3Resource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class HybridBenchmark {

    private static final int READS = Integer.getInteger("bench.reads", 2_000);
    private static final int ROUND_EVERY = Integer.getInteger("bench.roundEvery", 100);
    /** The online-read objective of the fourth configuration (HYBRID with {@code hybrid_online_p99_ms} on every group), ms. */
    private static final String OBJECTIVE_MS = System.getProperty("bench.objectiveMs", "5");
    private static final long SMALL = 200; // customers, 10 rows each
    private static final long LARGE = 200_000;
    private static final long MEDIUM = 30_000;

    @Inject
    ObjectStore objects;

    @Inject
    OnlineServing serving;

    @Inject
    HybridSelector selector;

    @Inject
    SnapshotLog snapshots;

    @Inject
    io.quiver.hybrid.AccessMetrics accessMetrics;

    @Inject
    RegistryCatalog catalog;

    @Inject
    AccessRecorder recorder;

    @Inject
    MeterRegistry meters;

    /** The groups of one configuration, by role. */
    private static final List<String> ROLES = List.of("hot1", "hot2", "cold1", "cold2", "slow", "shift");

    private record Run(String config, double[] latencies, boolean[] computed, double virtualMs, double fillMs, long fills, long bytes,
            Integer adaptedAfter, List<String> roles) {

        /** The share of reads computed from lake data among those that match. */
        double computedShare(java.util.function.IntPredicate which) {
            return java.util.stream.IntStream.range(0, computed.length).filter(i -> computed[i] && which.test(i)).count() / (double) computed.length;
        }

        double[] of(String role) {
            return java.util.stream.IntStream.range(0, latencies.length).filter(i -> roles.get(i).equals(role)).mapToDouble(i -> latencies[i])
                    .toArray();
        }
    }

    @Test
    void mixedWorkload() throws Exception {
        System.out.printf("%nHybrid selector benchmark: %,d online reads of one entity, a round every %d reads (HYBRID), %d cores%n",
                READS, ROUND_EVERY, Runtime.getRuntime().availableProcessors());
        try {
            lake();
            List<String> workload = workload();
            List<Run> runs = new ArrayList<>();
            for (String config : List.of("MATERIALIZED", "VIRTUALIZED", "HYBRID", "HYBRID_OBJECTIVE")) {
                runs.add(run(config, workload));
            }
            report(runs);
            overhead(runs.get(0));
        } finally {
            try (Stream<Path> files = Files.walk(FilesystemS3Resource.scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String rows(long customers, int days) {
        return "SELECT c AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_days(CAST(d AS INTEGER)) AS ts, "
                + "CAST(c * 10 + d AS DOUBLE) AS amount FROM range(0, " + customers + ") a(c), range(0, " + days + ") b(d) ORDER BY c, d";
    }

    private void lake() {
        objects.put("lake/hy_small/part.parquet", Columnar.parquet(rows(SMALL, 10)));
        objects.put("lake/hy_medium/part.parquet", Columnar.parquet(rows(MEDIUM, 10)));
        objects.put("lake/hy_large/part.parquet", Columnar.parquet(rows(LARGE, 10)));
        for (String s : List.of("small", "medium", "large")) {
            GraphQL.ok("mutation($s: DataSourceInput!) { registerDataSource(dataSource: $s) { rowEstimate } }", Map.of("s",
                    Map.of("name", "hy_" + s, "layer", "SILVER", "location", "lake/hy_" + s + "/", "format", "PARQUET")));
        }
        GraphQL.register(List.of(GraphQL.entity("hy_customer", "customer_id", "BIGINT")), List.of());
    }

    /** The same sequence of group roles for every configuration (seeded). */
    private static List<String> workload() {
        Random random = new Random(20261205L);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < READS; i++) {
            boolean second = i >= READS / 2;
            double x = random.nextDouble();
            String role = x < 0.005 ? "cold1" : x < 0.01 ? "cold2" : x < 0.16 ? "slow"
                    : second && x < 0.50 ? "shift" : x < (second ? 0.75 : 0.58) ? "hot1" : "hot2";
            out.add(role);
        }
        return out;
    }

    private String template(String role) {
        return switch (role) {
            case "cold1", "cold2" -> "SELECT customer_id, ts, amount FROM {{silver.hy_large}}";
            // no key filter can enter a window over the whole table: every read computes all of it
            case "slow" -> "SELECT customer_id, ts, AVG(amount) OVER (ORDER BY ts, customer_id ROWS BETWEEN 100 PRECEDING AND CURRENT ROW) AS amount "
                    + "FROM {{silver.hy_medium}}";
            default -> "SELECT customer_id, ts, amount FROM {{silver.hy_small}}";
        };
    }

    private Run run(String config, List<String> workload) throws Exception {
        String prefix = config.equals("HYBRID_OBJECTIVE") ? "o_" : config.substring(0, 1).toLowerCase() + "_";
        boolean selects = config.startsWith("HYBRID");
        List<Map<String, Object>> groups = new ArrayList<>();
        for (String role : ROLES) {
            List<Map<String, String>> settings = new ArrayList<>(List.of(Map.of("key", "hybrid_hot_reads_per_hour", "value", "100"),
                    Map.of("key", "hybrid_cold_reads_per_hour", "value", "5"), Map.of("key", "hybrid_cache_ttl", "value", "PT0S")));
            if (config.equals("HYBRID_OBJECTIVE")) {
                settings.add(Map.of("key", "hybrid_online_p99_ms", "value", OBJECTIVE_MS));
            }
            groups.add(Map.of("name", prefix + role, "entities", List.of("hy_customer"), "eventTimestampColumn", "ts", "mode", "HYBRID",
                    "queryTemplate", template(role), "features", List.of(Map.of("name", "amount", "type", "DOUBLE")), "config", settings));
        }
        GraphQL.register(List.of(), groups);
        double fillsBefore = fillSeconds();
        long fillCountBefore = fillCount();
        if (!selects) {
            for (String role : ROLES) {
                GraphQL.ok("mutation($g: String!, $s: Mode) { forceStrategy(group: $g, strategy: $s, reason: \"benchmark\") { servedAs } }",
                        Map.of("g", prefix + role, "s", config));
            }
            for (String role : ROLES) {
                waitServed(prefix + role, Mode.valueOf(config));
            }
        }
        if (config.equals("MATERIALIZED")) {
            // the first configuration warms the JVM up for all three: 500 reads of other entities, not measured
            Random warm = new Random(11);
            for (int i = 0; i < 500; i++) {
                String role = workload.get(i);
                serving.read(List.of(prefix + role + ".amount"), List.of(Map.of("customer_id", warm.nextLong(SMALL))), false);
            }
        }
        Random entities = new Random(7);
        double[] latencies = new double[workload.size()];
        boolean[] computed = new boolean[workload.size()];
        double virtualMs = 0;
        Integer adaptedAfter = null;
        int shiftReads = 0;
        for (int i = 0; i < workload.size(); i++) {
            if (selects && i > 0 && i % ROUND_EVERY == 0) {
                selector.round();
            }
            String role = workload.get(i);
            long customer = entities.nextLong(role.startsWith("cold") ? LARGE : role.equals("slow") ? MEDIUM : SMALL);
            long t0 = System.nanoTime();
            OnlineResult r = serving.read(List.of(prefix + role + ".amount"), List.of(Map.of("customer_id", customer)), false);
            double ms = (System.nanoTime() - t0) / 1e6;
            latencies[i] = ms;
            boolean virtual = r.metadata().groups().get(0).source() == OnlineResult.Source.VIRTUAL;
            computed[i] = virtual;
            if (virtual) {
                virtualMs += ms;
            }
            if (role.equals("shift")) {
                shiftReads++;
                if (adaptedAfter == null && !virtual) {
                    adaptedAfter = shiftReads;
                }
            }
        }
        // fills the last rounds started end before the configuration is measured: their time and bytes are its own
        for (String role : ROLES) {
            waitNoFill(prefix + role);
        }
        long bytes = 0;
        for (String role : ROLES) {
            io.quiver.registry.model.FeatureGroup group = catalog.group(prefix + role, 0).group();
            // the online bytes of the table reads use: a fill loads a generation of its own
            Long onlineBytes = accessMetrics.bytesOnline(group);
            bytes += snapshots.current(group).map(Snapshot::bytes).orElse(0L) + (onlineBytes == null ? 0 : onlineBytes);
        }
        Run run = new Run(config, latencies, computed, virtualMs, (fillSeconds() - fillsBefore) * 1000, fillCount() - fillCountBefore, bytes,
                adaptedAfter, workload);
        System.out.printf("  %s: served %s%n", config, ROLES.stream().map(role -> role + "=" + GraphQL.ok("query($g: String!) { featureGroup(name: $g) "
                + "{ servedAs } }", Map.of("g", prefix + role)).getString("data.featureGroup.servedAs")).toList());
        return run;
    }

    private void waitServed(String group, Mode mode) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while (!mode.name().equals(GraphQL.ok("query($g: String!) { featureGroup(name: $g) { servedAs } }", Map.of("g", group))
                .getString("data.featureGroup.servedAs"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(group + " not served " + mode + " within 10 minutes");
            }
            Thread.sleep(50);
        }
    }

    private void waitNoFill(String group) throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        while ("RUNNING".equals(GraphQL.ok("query($g: String!) { featureGroup(name: $g) { strategy { fillState } } }", Map.of("g", group))
                .getString("data.featureGroup.strategy.fillState"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(group + " still filling after 10 minutes");
            }
            Thread.sleep(50);
        }
    }

    private double fillSeconds() {
        return meters.find("quiver.hybrid.fills").timers().stream().mapToDouble(t -> t.totalTime(java.util.concurrent.TimeUnit.SECONDS)).sum();
    }

    private long fillCount() {
        return meters.find("quiver.hybrid.fills").timers().stream().mapToLong(Timer::count).sum();
    }

    private void report(List<Run> runs) {
        System.out.printf("%n| configuration | p50 ms | p99 ms | p99 ms, second half | reads computed | virtual read time ms | fill time ms (fills) "
                + "| compute ms | bytes stored |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|%n");
        for (Run r : runs) {
            System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f%% | %,.0f | %,.0f (%d) | %,.0f | %,d |%n", r.config(), p(r.latencies(), 50),
                    p(r.latencies(), 99), p(secondHalf(r), 99), 100 * r.computedShare(i -> true), r.virtualMs(), r.fillMs(), r.fills(),
                    r.virtualMs() + r.fillMs(), r.bytes());
        }
        System.out.printf("%nPer group, p50 / p99 ms (reads):%n| group | %s |%n|---|%s%n", String.join(" | ", runs.stream().map(Run::config).toList()),
                "---|".repeat(runs.size()));
        for (String role : ROLES) {
            System.out.printf("| %s (%d) | %s |%n", role, runs.get(0).of(role).length, String.join(" | ", runs.stream()
                    .map(r -> String.format("%.2f / %.2f", p(r.of(role), 50), p(r.of(role), 99))).toList()));
        }
        Run m = runs.get(0);
        Run v = runs.get(1);
        double best = Math.min(p(m.latencies(), 99), p(v.latencies(), 99));
        double bestSecond = Math.min(p(secondHalf(m), 99), p(secondHalf(v), 99));
        // a computed read is slower than 1.1 x the stored p99, so HYBRID's p99 is within 10% only when computed reads and the
        // stored reads slower than that bound together stay under 1% of all reads
        double bound = 1.1 * p(m.latencies(), 99);
        double slowStored = Arrays.stream(m.latencies()).filter(ms -> ms > bound).count() / (double) m.latencies().length;
        System.out.printf("%nThe p99 goal tolerates at most %.2f%% of reads computed from lake data: %.2f%% of all-MATERIALIZED's reads already "
                + "take longer than 1.1 x its p99 (%.2f ms)%n", 100 * Math.max(0, 0.01 - slowStored), 100 * slowStored, bound);
        for (Run h : runs.subList(2, runs.size())) {
            List<String> roles = h.roles();
            System.out.printf("%s: p99 / best single mode p99 = %.2fx (goal <= 1.10x), second half %.2fx; bytes / all-MATERIALIZED = %.2f "
                    + "(goal <= 0.50); reads computed %.2f%%: cold groups %.2f%%, other groups before the first decision %.2f%%, the changed "
                    + "group %.2f%%, others %.2f%%; the changed group was served from stored data after %s of its reads (%d-read rounds; goal: "
                    + "within one round)%n", h.config(), p(h.latencies(), 99) / best, p(secondHalf(h), 99) / bestSecond,
                    (double) h.bytes() / m.bytes(), 100 * h.computedShare(i -> true),
                    100 * h.computedShare(i -> roles.get(i).startsWith("cold")),
                    100 * h.computedShare(i -> !roles.get(i).startsWith("cold") && !roles.get(i).equals("shift") && i < ROUND_EVERY),
                    100 * h.computedShare(i -> roles.get(i).equals("shift")),
                    100 * h.computedShare(i -> !roles.get(i).startsWith("cold") && !roles.get(i).equals("shift") && i >= ROUND_EVERY),
                    h.adaptedAfter(), ROUND_EVERY);
        }
    }

    /** Recording one access against the p50 of an online read from the online store. */
    private void overhead(Run materialized) {
        int n = 2_000_000;
        for (int i = 0; i < n / 10; i++) {
            recorder.access("hy_overhead", AccessPath.ONLINE, Mode.MATERIALIZED, 1_000_000 + i, 1, 0);
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            recorder.access("hy_overhead", AccessPath.ONLINE, Mode.MATERIALIZED, 1_000_000 + i, 1, 0);
        }
        double perCall = (System.nanoTime() - t0) / (double) n / 1e6;
        double p50 = p(materialized.latencies(), 50);
        System.out.printf("Recording one access: %.2f µs; online read p50 (all MATERIALIZED) %.2f ms -> %.2f%% of p50 (goal < 2%%)%n",
                perCall * 1000, p50, 100 * perCall / p50);
    }

    private static double[] secondHalf(Run r) {
        return Arrays.copyOfRange(r.latencies(), r.latencies().length / 2, r.latencies().length);
    }

    private static double p(double[] values, int percentile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
