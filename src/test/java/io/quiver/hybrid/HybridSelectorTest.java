package io.quiver.hybrid;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The hybrid selector through GraphQL, against PostgreSQL, Redis and the S3 server: access metrics of every path,
 * decisions with their reasons, overrides, safe switches under concurrent reads, recommendations, Prometheus series.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class HybridSelectorTest {

    static final String REGISTER_SOURCE = """
            mutation($s: DataSourceInput!) { registerDataSource(dataSource: $s) { name } }""";
    static final String ONLINE = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { "
            + "columns { values } metadata { groups { source } } } }";
    static final String METRICS = """
            query($g: String!, $w: AccessWindow) { accessMetrics(group: $g, window: $w) { group reads readsPerHour readsMaterialized
              readsVirtualized writes errors cacheHits cacheMisses cacheHitRate lastAccess estimatedRows bytesOffline bytesOnline latestEventTime
              freshnessSeconds servedAs paths { path count materialized virtualized errors rows bytes p50Ms p95Ms p99Ms meanVirtualizedMs } } }""";
    static final String STRATEGY = """
            query($g: String!) { featureGroup(name: $g) { servedAs strategy { selectable servedAs decided reason forced forcedUntil
              forcedReason fillState fillMillis storedUntil inputs { name value } } } }""";
    static final String FORCE = """
            mutation($g: String!, $s: Mode, $u: DateTime, $r: String) { forceStrategy(group: $g, strategy: $s, until: $u, reason: $r) {
              servedAs decided forced forcedUntil fillState } }""";
    static final String HISTORY = "query($g: String!) { strategyHistory(group: $g) { kind from to reason inputs { name value } } }";

    @Inject
    ObjectStore objects;

    @Inject
    HybridSelector selector;

    @Inject
    StrategyStore store;

    @Inject
    io.quiver.online.OnlineStore onlineStore;

    @Inject
    io.quiver.config.QuiverConfig config;

    private String source;
    private String entity;
    private String lake;

    @BeforeEach
    void lake() throws InterruptedException {
        // a test before this one may have left the online store's circuit open (it opens under overload by design);
        // fills need the online store, so start once it is ready again
        for (int i = 0; i < 150 && given().get("/q/health/ready").statusCode() != 200; i++) {
            Thread.sleep(100);
        }
        // readiness asks Redis itself; the circuit in front of it may still be resting: wait until a call goes through
        for (int i = 0; i < 150; i++) {
            try {
                onlineStore.bytes("probe:0:0");
                break;
            } catch (io.quiver.online.OnlineStoreException resting) {
                Thread.sleep(100);
            }
        }
        lake = "lake/" + unique("hy") + "/";
        source = unique("hy");
        entity = unique("cust");
        // customers 1..20, days 1..10 of January 2026: amount = customer * 10 + day
        objects.put(lake + "part.parquet", Columnar.parquet("SELECT c AS customer_id, TIMESTAMPTZ '2026-01-01 12:00:00+00' + "
                + "to_days(CAST(d AS INTEGER)) AS ts, CAST(c * 10 + d AS DOUBLE) AS amount FROM range(1, 21) a(c), range(0, 10) b(d) "
                + "ORDER BY customer_id, ts"));
        ok(REGISTER_SOURCE, Map.of("s", Map.of("name", source, "layer", "GOLD", "location", lake, "format", "PARQUET")));
        register(List.of(entity(entity, "customer_id", "BIGINT")), List.of());
    }

    private String hybridGroup(List<Map<String, String>> config) {
        String g = unique("hyb");
        register(List.of(), List.of(with(group(g, entity, List.of(feature("amount", "DOUBLE"))), "mode", "HYBRID",
                "eventTimestampColumn", "ts", "queryTemplate", "SELECT customer_id, ts, amount FROM {{gold." + source + "}}", "config", config)));
        return g;
    }

    /** Reads the amount of customers 1..20 and checks every value: customer * 10 + 9 (its latest day). */
    private String readAll(String g) {
        List<Map<String, Object>> entities = new ArrayList<>();
        for (int c = 1; c <= 20; c++) {
            entities.add(Map.of("customer_id", c));
        }
        JsonPath read = ok(ONLINE, Map.of("f", List.of(g + ".amount"), "e", entities));
        List<Object> values = read.getList("data.onlineFeatures.columns[1].values");
        for (int c = 1; c <= 20; c++) {
            assertThat(((Number) values.get(c - 1)).doubleValue()).as("customer %d", c).isEqualTo(c * 10 + 9.0);
        }
        return read.getString("data.onlineFeatures.metadata.groups[0].source");
    }

    private JsonPath waitForServedAs(String g, String mode) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonPath s = ok(STRATEGY, Map.of("g", g));
            // the group's servedAs and its strategy are resolved apart, so one answer can hold the row before and after
            // a switch: wait for both (the strategy's servedAs and fillState come from one row, written together)
            String row = s.getString("data.featureGroup.strategy.servedAs");
            if (mode.equals(s.getString("data.featureGroup.servedAs")) && (row == null || mode.equals(row))) {
                return s;
            }
            assertThat(s.getString("data.featureGroup.strategy.fillState")).as("fill of %s", g).isNotEqualTo("FAILED");
            assertThat(System.nanoTime()).as("%s served %s within 60 s", g, mode).isLessThan(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void accessMetricsCountEveryPathByTheStrategyThatServedIt() {
        String g = hybridGroup(List.of());
        for (int i = 0; i < 3; i++) {
            assertThat(readAll(g)).isEqualTo("VIRTUAL");
        }
        ok("query($f: [String!]!, $e: [JSON!]!) { historicalFeatures(features: $f, entityRows: $e) }",
                Map.of("f", List.of(g + ".amount"), "e", List.of(Map.of("customer_id", 2, "event_timestamp", "2026-01-04T12:00:00Z"))));
        ok("query($t: String!) { queryVirtualTable(table: $t, limit: 5) }", Map.of("t", "features_" + g));
        failing("query($t: String!) { queryVirtualTable(table: $t, columns: [\"nope\"]) }", Map.of("t", "features_" + g));

        JsonPath m = ok(METRICS, Map.of("g", g, "w", "LAST_HOUR"));
        assertThat(m.getLong("data.accessMetrics.reads")).isEqualTo(5);
        assertThat(m.getLong("data.accessMetrics.readsVirtualized")).isEqualTo(5);
        assertThat(m.getLong("data.accessMetrics.readsMaterialized")).isZero();
        assertThat(m.getInt("data.accessMetrics.paths.find { it.path == 'ONLINE' }.count")).isEqualTo(3);
        assertThat(m.getInt("data.accessMetrics.paths.find { it.path == 'ONLINE' }.rows")).isEqualTo(60);
        assertThat(m.getInt("data.accessMetrics.paths.find { it.path == 'HISTORICAL' }.virtualized")).isEqualTo(1);
        assertThat(m.getInt("data.accessMetrics.paths.find { it.path == 'VIRTUAL_TABLE' }.count")).isEqualTo(1);
        assertThat(m.getInt("data.accessMetrics.paths.find { it.path == 'VIRTUAL_TABLE' }.rows")).isEqualTo(5);
        assertThat(m.getLong("data.accessMetrics.errors")).isEqualTo(1); // the query naming a column the table does not have
        assertThat(m.getInt("data.accessMetrics.paths.find { it.path == 'VIRTUAL_TABLE' }.errors")).isEqualTo(1);
        double p50 = m.getDouble("data.accessMetrics.paths.find { it.path == 'ONLINE' }.p50Ms");
        double p99 = m.getDouble("data.accessMetrics.paths.find { it.path == 'ONLINE' }.p99Ms");
        assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
        // the three online reads: the first computed, the others from the result cache (the historical read has its own slice)
        assertThat(m.getLong("data.accessMetrics.cacheHits")).isEqualTo(2);
        assertThat(m.getLong("data.accessMetrics.cacheMisses")).isEqualTo(2);
        assertThat(m.getDouble("data.accessMetrics.cacheHitRate")).isEqualTo(0.5);
        assertThat(Instant.parse(m.getString("data.accessMetrics.lastAccess"))).isAfter(Instant.now().minusSeconds(60));
        assertThat(m.getLong("data.accessMetrics.estimatedRows")).isEqualTo(200);
        assertThat(m.getLong("data.accessMetrics.bytesOffline")).isZero();
        assertThat(m.getLong("data.accessMetrics.bytesOnline")).isZero();
        assertThat(m.getString("data.accessMetrics.servedAs")).isEqualTo("VIRTUALIZED");
        assertThat(ok(METRICS, Map.of("g", g, "w", "LAST_WEEK")).getLong("data.accessMetrics.reads")).isEqualTo(5);

        String plain = unique("mat");
        register(List.of(), List.of(with(group(plain, entity, List.of(feature("amount", "DOUBLE"))), "eventTimestampColumn", "ts")));
        ok("mutation($g: String!, $r: [JSON!]!) { write(group: $g, rows: $r) { rowsWritten } }", Map.of("g", plain, "r",
                List.of(Map.of("customer_id", 1, "ts", "2026-01-02T00:00:00Z", "amount", 1.5))));
        ok(ONLINE, Map.of("f", List.of(plain + ".amount"), "e", List.of(Map.of("customer_id", 1))));
        JsonPath p = ok(METRICS, Map.of("g", plain));
        assertThat(p.getLong("data.accessMetrics.writes")).isEqualTo(1);
        assertThat(p.getLong("data.accessMetrics.readsMaterialized")).isEqualTo(1);
        assertThat(p.getLong("data.accessMetrics.bytesOffline")).isPositive();
        // one record: its key (prefix, table, entity), two times and the JSON payload {"amount":1.5}
        assertThat(p.getLong("data.accessMetrics.bytesOnline")).isBetween(30L, 200L);
        assertThat(p.getLong("data.accessMetrics.estimatedRows")).isEqualTo(1);
        assertThat(p.getString("data.accessMetrics.latestEventTime")).isEqualTo("2026-01-02T00:00:00Z");
        assertThat(p.getDouble("data.accessMetrics.freshnessSeconds")).isGreaterThan(300 * 86400.0);

        List<String> listed = ok("{ allAccessMetrics(window: LAST_DAY, first: 500) { group } }", Map.of()).getList("data.allAccessMetrics.group");
        assertThat(listed).contains(g, plain).isSorted();
    }

    @Test
    void aHotGroupIsMaterializedOnlyOnceFilledAndEveryAnswerStaysRight() throws Exception {
        String g = hybridGroup(List.of(Map.of("key", "hybrid_hot_reads_per_hour", "value", "5")));
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> wrong = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        List<String> sources = java.util.Collections.synchronizedList(new ArrayList<>());
        // three readers at once, each checking every value of every answer
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            readers.add(new Thread(() -> {
                while (!stop.get()) {
                    try {
                        sources.add(readAll(g));
                        reads.incrementAndGet();
                    } catch (Throwable e) {
                        wrong.add(e);
                    }
                }
            }));
        }
        readers.forEach(Thread::start);
        try {
            while (reads.get() < 6) {
                Thread.sleep(20);
            }
            JsonPath decided = ok("mutation($g: String!) { evaluateStrategy(group: $g) { decided reason servedAs } }", Map.of("g", g));
            assertThat(decided.getString("data.evaluateStrategy.decided")).isEqualTo("MATERIALIZED");
            assertThat(decided.getString("data.evaluateStrategy.reason")).startsWith("MATERIALIZED: hot").contains("reads/h");
            JsonPath filled = waitForServedAs(g, "MATERIALIZED");
            assertThat(filled.getString("data.featureGroup.strategy.fillState")).isEqualTo("SUCCEEDED");
            assertThat(filled.getLong("data.featureGroup.strategy.fillMillis")).isNotNull();
            int before = reads.get();
            while (reads.get() < before + 3) {
                Thread.sleep(20);
            }
            // and back: forced VIRTUALIZED switches at once, stored data waits for the grace period
            JsonPath forced = ok(FORCE, Map.of("g", g, "s", "VIRTUALIZED", "r", "lake maintenance test"));
            assertThat(forced.getString("data.forceStrategy.servedAs")).isEqualTo("VIRTUALIZED");
            assertThat(ok(STRATEGY, Map.of("g", g)).getString("data.featureGroup.strategy.storedUntil")).isNotNull();
            before = reads.get();
            while (reads.get() < before + 3) {
                Thread.sleep(20);
            }
            ok(FORCE, Map.of("g", g, "r", "done"));
            waitForServedAs(g, "MATERIALIZED");
            before = reads.get();
            while (reads.get() < before + 3) {
                Thread.sleep(20);
            }
        } finally {
            stop.set(true);
            for (Thread reader : readers) {
                reader.join();
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(sources).contains("VIRTUAL", "ONLINE");
        assertThat(readAll(g)).isEqualTo("ONLINE"); // (a reader's last answer may have begun before the switch)

        List<String> kinds = ok(HISTORY, Map.of("g", g)).getList("data.strategyHistory.kind");
        assertThat(kinds).containsSubsequence("SWITCHED", "FORCE_CLEARED", "SWITCHED", "FORCED", "SWITCHED", "FILL_STARTED", "DECIDED");
        JsonPath history = ok(HISTORY, Map.of("g", g));
        assertThat(history.getString("data.strategyHistory.find { it.kind == 'DECIDED' }.reason")).contains("hot");
        assertThat(history.<String>getList("data.strategyHistory.find { it.kind == 'DECIDED' }.inputs.name"))
                .contains("readsPerHour", "virtualReadMs", "storedReadMs", "refreshMs", "gibStored");

        // each fill ran as a materialization job of the group, listed with its others
        JsonPath jobs = ok(JOBS, Map.of("g", g));
        assertThat(jobs.<String>getList("data.materializationJobs.kind")).containsOnly("FILL")
                .hasSize((int) kinds.stream().filter("FILL_STARTED"::equals).count());
        assertThat(jobs.<String>getList("data.materializationJobs.trigger")).containsOnly("SELECTOR");
        assertThat(jobs.<String>getList("data.materializationJobs.status")).containsOnly("SUCCEEDED");
        assertThat(jobs.<Integer>getList("data.materializationJobs.rowsRead")).allMatch(n -> n > 0);
        assertThat(jobs.<Integer>getList("data.materializationJobs.entities")).allMatch(n -> n > 0);
        String switched = history.getString("data.strategyHistory.find { it.kind == 'SWITCHED' && it.to == 'MATERIALIZED' }.reason");
        assertThat(switched).contains("by job " + jobs.getLong("data.materializationJobs[0].id"));
    }

    static final String JOBS = "query($g: String!) { materializationJobs(group: $g) { id kind trigger status rowsRead entities error } }";

    @Test
    void aFailedFillKeepsReadsVirtualAndTheRoundWaitsBeforeTryingAgain() throws Exception {
        String g = hybridGroup(List.of());
        objects.put(lake + "zz-broken.parquet", "not a parquet file".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ok(FORCE, Map.of("g", g, "s", "MATERIALIZED", "r", "backoff test"));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"FAILED".equals(ok(STRATEGY, Map.of("g", g)).getString("data.featureGroup.strategy.fillState"))) {
            assertThat(System.nanoTime()).as("the fill of %s failed within 60 s", g).isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(ok(STRATEGY, Map.of("g", g)).getString("data.featureGroup.servedAs")).isEqualTo("VIRTUALIZED");
        String failed = ok(HISTORY, Map.of("g", g)).getString("data.strategyHistory.find { it.kind == 'FILL_FAILED' }.reason");
        assertThat(failed).contains("reads stay VIRTUALIZED", "tries again after 10 minutes").doesNotContain(lake, "s3://", "127.0.0.1");
        JsonPath failedJob = ok(JOBS, Map.of("g", g));
        assertThat(failedJob.<String>getList("data.materializationJobs.status")).containsExactly("FAILED");
        assertThat(failed).contains("(job " + failedJob.getLong("data.materializationJobs[0].id") + ")");
        assertThat(failedJob.getString("data.materializationJobs[0].error")).doesNotContain(lake, "s3://", "127.0.0.1");

        // the scheduled round does not try again yet, even though the group is still forced MATERIALIZED
        selector.round();
        selector.round();
        assertThat(ok(HISTORY, Map.of("g", g)).<String>getList("data.strategyHistory.kind").stream().filter("FILL_STARTED"::equals))
                .hasSize(1);

        // the lake is repaired: asked through the API, the selector tries at once and the group switches
        objects.delete(List.of(lake + "zz-broken.parquet"));
        ok("mutation($g: String!) { evaluateStrategy(group: $g) { decided } }", Map.of("g", g));
        waitForServedAs(g, "MATERIALIZED");
        assertThat(readAll(g)).isEqualTo("ONLINE");
        assertThat(ok(HISTORY, Map.of("g", g)).<String>getList("data.strategyHistory.kind").stream().filter("FILL_STARTED"::equals))
                .hasSize(2);
    }

    @Test
    void anOverrideShowsOnTheGroupAndEndsByItself() throws Exception {
        String g = hybridGroup(List.of());
        Instant until = Instant.now().plusSeconds(2);
        JsonPath forced = ok(FORCE, Map.of("g", g, "s", "MATERIALIZED", "u", until.toString(), "r", "launch day"));
        assertThat(forced.getString("data.forceStrategy.forced")).isEqualTo("MATERIALIZED");
        JsonPath s = waitForServedAs(g, "MATERIALIZED");
        assertThat(s.getString("data.featureGroup.strategy.forcedReason")).isEqualTo("launch day");
        assertThat(ok("query($t: String!) { auditLog(filter: {target: $t}, first: 20) { action detail } }", Map.of("t", g + "@1"))
                .getString("data.auditLog.find { it.action == 'FORCE_STRATEGY' }.detail")).contains("MATERIALIZED", "launch day");
        assertThat(readAll(g)).isEqualTo("ONLINE");
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), until).toMillis() + 100));
        selector.round();
        JsonPath after = ok(STRATEGY, Map.of("g", g));
        assertThat(after.getString("data.featureGroup.strategy.forced")).isNull();
        // one read in the last hour, below nothing hot: the cost model decides; with the defaults it is cheaper to compute
        assertThat(ok(HISTORY, Map.of("g", g)).<String>getList("data.strategyHistory.kind")).contains("FORCE_EXPIRED", "FORCED");
        assertThat(ok(HISTORY, Map.of("g", g)).getString("data.strategyHistory.find { it.kind == 'FORCE_EXPIRED' }.reason")).contains("launch day");
    }

    @Test
    void aGroupWhoseComputedReadsMissItsObjectiveIsStoredWhateverTheCost() throws Exception {
        // never hot, never cold; every computed read takes longer than a microsecond
        String g = hybridGroup(List.of(Map.of("key", "hybrid_online_p99_ms", "value", "0.001"),
                Map.of("key", "hybrid_hot_reads_per_hour", "value", "1000000"), Map.of("key", "hybrid_cold_reads_per_hour", "value", "0")));
        for (int i = 0; i < 6; i++) {
            assertThat(readAll(g)).isEqualTo("VIRTUAL");
        }
        JsonPath decided = ok("mutation($g: String!) { evaluateStrategy(group: $g) { decided reason inputs { name value } } }", Map.of("g", g));
        assertThat(decided.getString("data.evaluateStrategy.decided")).isEqualTo("MATERIALIZED");
        assertThat(decided.getString("data.evaluateStrategy.reason")).startsWith("MATERIALIZED: online reads computed from lake data took ")
                .contains("at p99 (measured), more than the group's objective of 0.001 ms", "the objective outranks cost");
        assertThat(decided.getString("data.evaluateStrategy.inputs.find { it.name == 'onlineP99ObjectiveMs' }.value")).isEqualTo("0.001");
        assertThat(Double.parseDouble(decided.getString("data.evaluateStrategy.inputs.find { it.name == 'virtualOnlineP99Ms' }.value")))
                .isGreaterThan(0.001);
        waitForServedAs(g, "MATERIALIZED");
        assertThat(readAll(g)).isEqualTo("ONLINE");
        // the effective configuration shows where the objective came from
        assertThat(ok("query($g: String!) { featureGroup(name: $g) { effectiveConfig { key value source } } }", Map.of("g", g))
                .getString("data.featureGroup.effectiveConfig.find { it.key == 'hybrid_online_p99_ms' }.source")).isEqualTo("GROUP");
    }

    static final String RECOMMENDATION = """
            query($g: String!) { recommendation(group: $g) { current recommended change reason howToApply readMsNow readMsAfter
              bytesStoredNow bytesStoredAfter computeMsPerDayNow computeMsPerDayAfter inputs { name value } } }""";

    @Test
    void aRecommendationSaysWhyAndWhatItChangesAndIsAppliedOnRequest() throws Exception {
        String g = hybridGroup(List.of(Map.of("key", "hybrid_hot_reads_per_hour", "value", "5")));
        // 12 reads: storing is estimated at 12 x 2 ms + one refresh of 50 ms an hour, so a computed read above 6 ms is dearer
        for (int i = 0; i < 12; i++) {
            readAll(g);
        }
        JsonPath rec = ok(RECOMMENDATION, Map.of("g", g));
        assertThat(rec.getString("data.recommendation.current")).isEqualTo("VIRTUALIZED");
        assertThat(rec.getString("data.recommendation.recommended")).isEqualTo("MATERIALIZED");
        assertThat(rec.getBoolean("data.recommendation.change")).isTrue();
        assertThat(rec.getString("data.recommendation.reason")).startsWith("MATERIALIZED: hot, 12 reads/h");
        assertThat(rec.getString("data.recommendation.howToApply")).isEqualTo("applyRecommendation(group: \"" + g + "\")");
        // the expected effect in numbers: faster reads, bytes stored where there were none
        assertThat(rec.getDouble("data.recommendation.readMsAfter")).isLessThan(rec.getDouble("data.recommendation.readMsNow"));
        assertThat(rec.getLong("data.recommendation.bytesStoredNow")).isZero();
        assertThat(rec.getLong("data.recommendation.bytesStoredAfter")).isPositive();
        assertThat(rec.getDouble("data.recommendation.computeMsPerDayNow")).isPositive();
        // the metrics behind it
        assertThat(rec.getString("data.recommendation.inputs.find { it.name == 'readsPerHour' }.value")).isEqualTo("12.0");
        assertThat(rec.getString("data.recommendation.inputs.find { it.name == 'virtualReadMeasured' }.value")).isEqualTo("true");

        JsonPath applied = ok("mutation($g: String!) { applyRecommendation(group: $g) { decided reason } }", Map.of("g", g));
        assertThat(applied.getString("data.applyRecommendation.decided")).isEqualTo("MATERIALIZED");
        waitForServedAs(g, "MATERIALIZED");
        assertThat(readAll(g)).isEqualTo("ONLINE");
        // what comes next depends on the fill's measured time (it replaces the estimated refresh cost): either way the
        // recommendation starts from what serves the group now
        JsonPath after = ok(RECOMMENDATION, Map.of("g", g));
        assertThat(after.getString("data.recommendation.current")).isEqualTo("MATERIALIZED");
        assertThat(after.getBoolean("data.recommendation.change")).isEqualTo(!"MATERIALIZED".equals(after.getString("data.recommendation.recommended")));
        // asked through the API: in the audit trail with the decision
        assertThat(ok("query($t: String!) { auditLog(filter: {target: $t}, first: 20) { action detail } }", Map.of("t", g + "@1"))
                .getString("data.auditLog.find { it.action == 'EVALUATE_STRATEGY' }.detail")).startsWith("decided MATERIALIZED: hot");
    }

    @Test
    void aColdGroupIsVirtualizedAndSaysWhy() {
        String g = hybridGroup(List.of(Map.of("key", "hybrid_cold_reads_per_hour", "value", "10")));
        readAll(g);
        JsonPath decided = ok("mutation($g: String!) { evaluateStrategy(group: $g) { decided reason servedAs inputs { name value } } }", Map.of("g", g));
        assertThat(decided.getString("data.evaluateStrategy.decided")).isEqualTo("VIRTUALIZED");
        assertThat(decided.getString("data.evaluateStrategy.reason")).startsWith("VIRTUALIZED: cold, 1 reads/h is below the cold threshold of 10 reads/h");
        assertThat(decided.getString("data.evaluateStrategy.inputs.find { it.name == 'readsPerHour' }.value")).isEqualTo("1.0");
        JsonPath rec = ok(RECOMMENDATION, Map.of("g", g));
        assertThat(rec.getString("data.recommendation.current")).isEqualTo("VIRTUALIZED");
        assertThat(rec.getString("data.recommendation.recommended")).isEqualTo("VIRTUALIZED");
        assertThat(rec.getBoolean("data.recommendation.change")).isFalse();
        assertThat(rec.getString("data.recommendation.howToApply")).isEqualTo("nothing to do");
        assertThat(rec.getLong("data.recommendation.bytesStoredAfter")).isEqualTo(rec.getLong("data.recommendation.bytesStoredNow"));
    }

    @Test
    void onlyHybridGroupsWithATemplateHaveAStrategyAndEveryRequestIsChecked() {
        String plain = unique("mat");
        register(List.of(), List.of(with(group(plain, entity, List.of(feature("amount", "DOUBLE"))), "eventTimestampColumn", "ts")));
        assertThat(failing(FORCE, Map.of("g", plain, "s", "VIRTUALIZED", "r", "x")).getString("errors[0].message"))
                .contains("cannot force the strategy of feature group '" + plain + "'").contains("only the latest version of a HYBRID group with a query template");
        JsonPath apply = failing("mutation($g: String!) { applyRecommendation(group: $g) { servedAs } }", Map.of("g", plain));
        assertThat(apply.getString("errors[0].message")).contains("is MATERIALIZED, so the selector does not choose its strategy").contains("recommended: MATERIALIZED");

        String g = hybridGroup(List.of());
        assertThat(failing(FORCE, Map.of("g", g, "s", "MATERIALIZED")).getString("errors[0].message")).contains("give a reason");
        // a breaking change makes version 2; version 1 has no strategy any more and reads the lake
        register(List.of(), List.of(with(group(g, entity, List.of(feature("amount", "STRING"))), "mode", "HYBRID", "eventTimestampColumn", "ts",
                "queryTemplate", "SELECT customer_id, ts, CAST(amount AS VARCHAR) AS amount FROM {{gold." + source + "}}")));
        assertThat(failing("mutation($g: String!) { forceStrategy(group: $g, version: 1, strategy: MATERIALIZED, reason: \"x\") { forced } }",
                Map.of("g", g)).getString("errors[0].message")).contains("is not the latest version");
        assertThat(ok("query($g: String!) { featureGroup(name: $g, version: 1) { servedAs } }", Map.of("g", g))
                .getString("data.featureGroup.servedAs")).isEqualTo("VIRTUALIZED");
        assertThat(failing(FORCE, Map.of("g", g, "s", "MATERIALIZED", "u", "2020-01-01T00:00:00Z", "r", "x")).getString("errors[0].message"))
                .contains("in the past");
        assertThat(failing(FORCE, Map.of("g", g, "s", "HYBRID", "r", "x")).getString("errors[0].message")).contains("HYBRID is the mode");
        assertThat(failing(FORCE, Map.of("g", unique("nope"), "s", "MATERIALIZED", "r", "x")).getString("errors[0].extensions.code"))
                .isEqualTo("FEATURE_GROUP_NOT_FOUND");

        List<Map<String, Object>> recs = ok("{ recommendations(first: 500) { group mode current recommended change reason howToApply readMsNow "
                + "readMsAfter bytesStoredNow bytesStoredAfter computeMsPerDayNow computeMsPerDayAfter } }", Map.of()).getList("data.recommendations");
        Map<String, Object> mine = recs.stream().filter(r -> r.get("group").equals(plain)).findFirst().orElseThrow();
        assertThat(mine).containsEntry("recommended", "MATERIALIZED").containsEntry("change", false).containsEntry("howToApply", "nothing to do");
        Map<String, Object> hybrid = recs.stream().filter(r -> r.get("group").equals(g)).findFirst().orElseThrow();
        assertThat(hybrid).containsEntry("mode", "HYBRID").containsEntry("current", "VIRTUALIZED");
        assertThat((String) hybrid.get("reason")).contains("ms/h");
    }

    @Test
    void oneReplicaAtATimeHoldsTheEvaluatorLease() throws Exception {
        String lease = unique("lease");
        assertThat(store.lease(lease, "replica-a", Duration.ofMillis(300))).isTrue();
        assertThat(store.lease(lease, "replica-b", Duration.ofMillis(300))).isFalse();
        assertThat(store.lease(lease, "replica-a", Duration.ofMillis(300))).isTrue(); // renewed by its holder
        Thread.sleep(400);
        assertThat(store.lease(lease, "replica-b", Duration.ofMinutes(1))).isTrue(); // lapsed: another replica takes over
        assertThat(store.lease(lease, "replica-a", Duration.ofMinutes(1))).isFalse();
    }

    @Inject
    io.quiver.registry.RegistryCatalog catalog;

    @Test
    void aFillStillQueuedOrRunningIsRenewedAndOtherRowsAreLeftAlone() throws Exception {
        String g = hybridGroup(List.of());
        long id = catalog.group(g, 0).group().id();
        Instant running = store.update(id, c -> c.row.fillState = "RUNNING").updatedAt;
        Thread.sleep(20);
        store.renewFill(id);
        assertThat(store.find(id).orElseThrow().updatedAt).isAfter(running); // no replica takes it as abandoned
        Instant failed = store.update(id, c -> c.row.fillState = "FAILED").updatedAt;
        Thread.sleep(20);
        store.renewFill(id);
        assertThat(store.find(id).orElseThrow().updatedAt).isEqualTo(failed); // a failed fill's back-off is not extended
    }

    @Test
    void aFillStillQueuedWhenItsGroupTurnsVirtualIsCancelledAndStoresNothing() throws Exception {
        String g = hybridGroup(List.of());
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(config.hybrid().fillThreads());
        for (int t = 0; t < config.hybrid().fillThreads(); t++) { // every fill thread busy: the group's fill waits in the queue
            selector.fillQueue().execute(new QueuedFill(() -> {
                held.countDown();
                try {
                    release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, false, 0, -1 - t));
        }
        try {
            assertThat(held.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(ok(FORCE, Map.of("g", g, "s", "MATERIALIZED", "r", "queued")).getString("data.forceStrategy.fillState"))
                    .isEqualTo("RUNNING");
            ok(FORCE, Map.of("g", g, "s", "VIRTUALIZED", "r", "changed my mind"));
        } finally {
            release.countDown();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"CANCELLED".equals(ok(STRATEGY, Map.of("g", g)).getString("data.featureGroup.strategy.fillState"))) {
            assertThat(System.nanoTime()).as("the queued fill of %s was cancelled within 60 s", g).isLessThan(deadline);
            Thread.sleep(100);
        }
        JsonPath s = ok(STRATEGY, Map.of("g", g));
        assertThat(s.getString("data.featureGroup.servedAs")).isEqualTo("VIRTUALIZED");
        assertThat(s.getString("data.featureGroup.strategy.storedUntil")).isNull(); // nothing stored, nothing to expire
        assertThat(ok(JOBS, Map.of("g", g)).<String>getList("data.materializationJobs")).isEmpty();
        assertThat(ok(HISTORY, Map.of("g", g)).getString("data.strategyHistory.find { it.kind == 'FILL_CANCELLED' }.reason"))
                .contains("turned VIRTUALIZED");
        assertThat(readAll(g)).isEqualTo("VIRTUAL");
        assertThat(given().get("/q/metrics").then().statusCode(200).extract().asString())
                .containsPattern("quiver_hybrid_fills_seconds_count\\{result=\"cancelled\"} [1-9]");
    }

    @Test
    void theHistoryKeepsTheNewestEventsOnly() {
        String g = hybridGroup(List.of());
        long id = catalog.group(g, 0).group().id();
        for (int i = 0; i < 5; i++) {
            int n = i;
            store.update(id, c -> c.event(StrategyEvent.Kind.DECIDED, null, io.quiver.config.Mode.VIRTUALIZED, "event " + n, null));
        }
        assertThat(store.prune(id, 2)).isEqualTo(3);
        assertThat(ok(HISTORY, Map.of("g", g)).<String>getList("data.strategyHistory.reason")).containsExactly("event 4", "event 3");
        assertThat(store.prune(id, 2)).isZero();
    }

    /** The value of one series in a Prometheus scrape (0 when absent). */
    static double sample(String scrape, String series) {
        return scrape.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }

    @Test
    void prometheusShowsReadsCacheSwitchesAndFills() {
        String g = hybridGroup(List.of());
        String onlineReads = "quiver_store_seconds_count{operation=\"read\",outcome=\"success\",store=\"online\"}";
        String slices = "quiver_executor_seconds_count{executor=\"duckdb\",operation=\"slice\",outcome=\"success\"}";
        String puts = "quiver_store_seconds_count{operation=\"put\",outcome=\"success\",store=\"object\"}";
        String jobs = "quiver_materialization_jobs_total{status=\"SUCCEEDED\"}";
        String entities = "quiver_materialization_entities_total";
        String before = given().get("/q/metrics").then().statusCode(200).extract().asString();
        readAll(g);
        readAll(g);
        ok(FORCE, Map.of("g", g, "s", "MATERIALIZED", "r", "metrics test"));
        waitForServedAs(g, "MATERIALIZED");
        readAll(g);
        String after = given().get("/q/metrics").then().statusCode(200).extract().asString();
        // per store and executor: the virtual read and the fill each ran the template once (the second read hit the
        // cache), the fill put the snapshot's files, and the stored read asked the online store
        assertThat(sample(after, slices) - sample(before, slices)).isGreaterThanOrEqualTo(2);
        assertThat(sample(after, puts) - sample(before, puts)).isGreaterThanOrEqualTo(1);
        assertThat(sample(after, onlineReads) - sample(before, onlineReads)).isGreaterThanOrEqualTo(1);
        assertThat(after).contains("quiver_store_seconds_bucket{operation=\"read\",outcome=\"success\",store=\"online\",le=");
        assertThat(after).contains("agroal_acquire_count_total{datasource=\"default\"}");
        // the fill ran as a materialization job: counted with the entities it loaded
        long filled = ok(JOBS, Map.of("g", g)).getLong("data.materializationJobs[0].entities");
        assertThat(filled).isPositive();
        assertThat(sample(after, jobs) - sample(before, jobs)).isGreaterThanOrEqualTo(1);
        assertThat(sample(after, entities) - sample(before, entities)).isGreaterThanOrEqualTo(filled);
        double errorsBefore = sample(given().get("/q/metrics").then().statusCode(200).extract().asString(),
                "quiver_errors_total{api=\"graphql\",code=\"INVALID_ARGUMENT\"}");
        failing(FORCE, Map.of("g", g, "s", "MATERIALIZED")); // no reason
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(sample(scrape, "quiver_errors_total{api=\"graphql\",code=\"INVALID_ARGUMENT\"}")).isEqualTo(errorsBefore + 1);
        assertThat(sample(scrape, "quiver_access_seconds_count{group=\"" + g + "\",path=\"ONLINE\",strategy=\"VIRTUALIZED\"}")).isEqualTo(2);
        assertThat(sample(scrape, "quiver_access_seconds_count{group=\"" + g + "\",path=\"ONLINE\",strategy=\"MATERIALIZED\"}")).isEqualTo(1);
        assertThat(scrape).contains("quiver_access_seconds_bucket{group=\"" + g + "\",path=\"ONLINE\",strategy=\"MATERIALIZED\",le=");
        assertThat(sample(scrape, "quiver_api_seconds_count{api=\"graphql\",operation=\"onlineFeatures\"}")).isGreaterThanOrEqualTo(3);
        assertThat(scrape).contains("quiver_online_fallbacks_total");
        assertThat(scrape).contains("quiver_hybrid_switches_total{group=\"" + g + "\",to=\"MATERIALIZED\"} 1.0");
        assertThat(scrape).contains("quiver_virtual_cache_total{group=\"" + g + "\",result=\"hit\"} 1.0");
        assertThat(sample(scrape, "quiver_virtual_cache_total{group=\"" + g + "\",result=\"miss\"}")).isGreaterThanOrEqualTo(1);
        assertThat(scrape).contains("quiver_api_seconds_bucket{api=\"graphql\",operation=\"onlineFeatures\",le=");
        // tags are bounded: groups yes, entities never (the reads asked for customers 1 to 20)
        assertThat(scrape.lines().filter(l -> !l.startsWith("#"))).noneMatch(l -> l.contains("customer_id") || l.contains("entity="));
        assertThat(scrape).containsPattern("quiver_hybrid_fills_seconds_count\\{result=\"succeeded\"} [1-9]");
        assertThat(scrape).contains("quiver_access_dropped_total");
    }
}
