package io.quiver.hybrid;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * A hybrid group's stored data over time, with short periods: refreshed while MATERIALIZED, kept for the grace
 * period once VIRTUALIZED, then expired; and a change in the lake reaches stored reads with the next refresh.
 */
@QuarkusTest
@TestProfile(HybridLifecycleTest.ShortPeriods.class)
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class HybridLifecycleTest {

    public static class ShortPeriods implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // the scheduled round is off (an hour away): the test runs rounds itself
            return Map.of("quiver.hybrid.stored-grace", "PT1S", "quiver.hybrid.refresh-interval", "PT2S",
                    "quiver.hybrid.evaluate-interval", "PT1H", "quiver.virtual.listing-ttl", "PT0S", "quiver.hybrid.retired-grace", "PT1S");
        }
    }

    @Inject
    ObjectStore objects;

    @Inject
    HybridSelector selector;

    @Inject
    StrategyStore strategies;

    @Inject
    io.quiver.online.OnlineStore online;

    @Inject
    io.quiver.registry.RegistryCatalog catalog;

    static final String READ = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { "
            + "columns { values } metadata { groups { source } } } }";

    private static String parquet(double amount) {
        return "SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS ts, " + amount + "::DOUBLE AS amount";
    }

    private JsonPath history(String g) {
        return ok("query($g: String!) { strategyHistory(group: $g) { kind reason } }", Map.of("g", g));
    }

    private void waitFor(String g, String field, String value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!value.equals(ok("query($g: String!) { featureGroup(name: $g) { servedAs strategy { fillState } } }", Map.of("g", g))
                .getString("data.featureGroup." + field))) {
            assertThat(System.nanoTime()).as("%s %s within 60 s", field, value).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** Puts one row (customer 1, amount 1.0) under {@code lake}, registers it as a source and a HYBRID group reading it. */
    private String hybridGroupOver(String lake, String prefix) {
        String source = unique(prefix);
        String entity = unique("cust");
        objects.put(lake + "a.parquet", Columnar.parquet(parquet(1.0)));
        ok("mutation($s: DataSourceInput!) { registerDataSource(dataSource: $s) { name } }", Map.of("s", Map.of("name", source,
                "layer", "GOLD", "location", lake, "format", "PARQUET")));
        String g = unique(prefix);
        register(List.of(entity(entity, "customer_id", "BIGINT")), List.of(with(group(g, entity, List.of(feature("amount", "DOUBLE"))),
                "mode", "HYBRID", "eventTimestampColumn", "ts", "queryTemplate", "SELECT customer_id, ts, amount FROM {{gold." + source + "}}")));
        return g;
    }

    @Test
    void storedDataIsRefreshedWhileMaterializedAndExpiredAfterTheGracePeriod() throws Exception {
        String lake = "lake/" + unique("life") + "/";
        String g = hybridGroupOver(lake, "life");
        Map<String, Object> vars = Map.of("f", List.of(g + ".amount"), "e", List.of(Map.of("customer_id", 1)));

        ok("mutation($g: String!) { forceStrategy(group: $g, strategy: MATERIALIZED, reason: \"test\") { forced } }", Map.of("g", g));
        waitFor(g, "servedAs", "MATERIALIZED");
        assertThat(ok(READ, vars).<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(1.0f);

        // the lake changes: stored reads keep the filled value until the refresh (every 2 s here) ...
        objects.put(lake + "a.parquet", Columnar.parquet(parquet(2.0)));
        assertThat(ok(READ, vars).<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(1.0f);
        Thread.sleep(2_100);
        selector.round();
        waitFor(g, "strategy.fillState", "SUCCEEDED");
        assertThat(history(g).<String>getList("data.strategyHistory.reason")).anyMatch(r -> r.contains("to refresh it (every 2 s)"));
        JsonPath refreshed = ok(READ, vars);
        assertThat(refreshed.<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(2.0f);
        assertThat(refreshed.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");

        // forced VIRTUALIZED: at once from the lake; the stored data waits for the grace period (1 s), then goes
        ok("mutation($g: String!) { forceStrategy(group: $g, strategy: VIRTUALIZED, reason: \"test\") { forced } }", Map.of("g", g));
        assertThat(ok(READ, vars).getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("VIRTUAL");
        JsonPath stored = ok("query($g: String!) { accessMetrics(group: $g) { bytesOffline bytesOnline } }", Map.of("g", g));
        assertThat(stored.getLong("data.accessMetrics.bytesOffline")).isPositive();
        assertThat(stored.getLong("data.accessMetrics.bytesOnline")).isPositive();
        Thread.sleep(1_100);
        selector.round();
        assertThat(history(g).<String>getList("data.strategyHistory.kind")).contains("STORED_EXPIRED");
        JsonPath expired = ok("query($g: String!) { accessMetrics(group: $g) { bytesOffline bytesOnline } }", Map.of("g", g));
        assertThat(expired.getLong("data.accessMetrics.bytesOffline")).isZero();
        assertThat(expired.getLong("data.accessMetrics.bytesOnline")).isZero();
        assertThat(ok("query($g: String!) { featureGroup(name: $g) { strategy { storedUntil } } }", Map.of("g", g))
                .getString("data.featureGroup.strategy.storedUntil")).isNull();
        assertThat(ok(READ, vars).<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(2.0f);
    }

    /** Sets the evaluator lease as another replica would hold it. */
    private static void evaluatorLease(String holder, java.time.Instant until) {
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            HybridLeaseRow lease = HybridLeaseRow.findById(HybridSelector.EVALUATOR);
            if (lease == null) {
                lease = new HybridLeaseRow();
                lease.name = HybridSelector.EVALUATOR;
                lease.persist();
            }
            lease.holder = holder;
            lease.expiresAt = until;
        });
    }

    private static String evaluatorHolder() {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> HybridLeaseRow.<HybridLeaseRow>findById(HybridSelector.EVALUATOR).holder);
    }

    @Test
    void whileAnotherReplicaHoldsTheEvaluatorLeaseTheScheduledRoundDecidesNothingAndTakesOverOnceItLapses() throws Exception {
        String g = hybridGroupOver("lake/" + unique("lease") + "/", "lease");
        String decided = "query($g: String!) { featureGroup(name: $g) { strategy { decided } } }";

        evaluatorLease("replica-elsewhere", java.time.Instant.now().plusSeconds(600));
        selector.scheduled();
        assertThat(ok(decided, Map.of("g", g)).getString("data.featureGroup.strategy.decided")).as("decided by a replica without the lease")
                .isNull();
        assertThat(evaluatorHolder()).isEqualTo("replica-elsewhere");

        // the other replica stopped: its lease lapses and this replica's next round takes over and evaluates
        evaluatorLease("replica-elsewhere", java.time.Instant.now().minusSeconds(1));
        selector.scheduled();
        assertThat(ok(decided, Map.of("g", g)).getString("data.featureGroup.strategy.decided")).isEqualTo("VIRTUALIZED");
        assertThat(evaluatorHolder()).startsWith("replica-").isNotEqualTo("replica-elsewhere");
    }

    /**
     * A refresh replaces what reads see as a whole: an entity that left the query's result reads as missing (as it
     * does virtually), and one whose latest row became older reads the older row, not the value it had before.
     */
    @Test
    void aRefreshServesExactlyTheQuerysNewResult() throws Exception {
        String lake = "lake/" + unique("gen") + "/";
        String source = unique("gen");
        String entity = unique("cust");
        objects.put(lake + "a.parquet", Columnar.parquet("SELECT c::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-02 00:00:00+00' AS ts, "
                + "c::DOUBLE AS amount FROM range(1, 3) t(c)"));
        ok("mutation($s: DataSourceInput!) { registerDataSource(dataSource: $s) { name } }", Map.of("s", Map.of("name", source,
                "layer", "GOLD", "location", lake, "format", "PARQUET")));
        String g = unique("gen");
        register(List.of(entity(entity, "customer_id", "BIGINT")), List.of(with(group(g, entity, List.of(feature("amount", "DOUBLE"))),
                "mode", "HYBRID", "eventTimestampColumn", "ts", "queryTemplate", "SELECT customer_id, ts, amount FROM {{gold." + source + "}}")));
        Map<String, Object> vars = Map.of("f", List.of(g + ".amount"), "e", List.of(Map.of("customer_id", 1), Map.of("customer_id", 2)));

        ok("mutation($g: String!) { forceStrategy(group: $g, strategy: MATERIALIZED, reason: \"test\") { forced } }", Map.of("g", g));
        waitFor(g, "servedAs", "MATERIALIZED");
        assertThat(ok(READ, vars).<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(1.0f, 2.0f);
        long id = catalog.group(g, 1).group().id();
        String first = strategies.find(id).orElseThrow().onlineTable;
        long firstBytes = ok("query($g: String!) { accessMetrics(group: $g) { bytesOnline } }", Map.of("g", g)).getLong("data.accessMetrics.bytesOnline");

        // customer 2 leaves the lake; customer 1's only row is now an older one (a correction)
        objects.put(lake + "a.parquet", Columnar.parquet("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS ts, "
                + "7.0::DOUBLE AS amount"));
        Thread.sleep(2_100);
        selector.round();
        waitFor(g, "strategy.fillState", "SUCCEEDED");
        JsonPath refreshed = ok(READ, vars);
        assertThat(refreshed.<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(7.0f, null);
        assertThat(refreshed.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");
        // the replaced records are dropped once the retired grace (1 s here) has passed; the byte count is the new table's
        StrategyRow row = strategies.find(id).orElseThrow();
        assertThat(row.onlineTable).isNotEqualTo(first);
        assertThat(row.retiredTable).isEqualTo(first);
        Thread.sleep(1_100);
        selector.round();
        assertThat(strategies.find(id).orElseThrow().retiredTable).isNull();
        assertThat(online.read(List.of(new io.quiver.online.OnlineKey(first, "[1]"), new io.quiver.online.OnlineKey(first, "[2]"))))
                .containsOnlyNulls();
        assertThat(online.bytes(first)).isZero();
        long bytes = ok("query($g: String!) { accessMetrics(group: $g) { bytesOnline } }", Map.of("g", g)).getLong("data.accessMetrics.bytesOnline");
        assertThat(bytes).isPositive().isLessThan(firstBytes);
        assertThat(ok(READ, vars).<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(7.0f, null);

        // the same answer virtually
        ok("mutation($g: String!) { forceStrategy(group: $g, strategy: VIRTUALIZED, reason: \"compare\") { forced } }", Map.of("g", g));
        JsonPath virtual = ok(READ, vars);
        assertThat(virtual.<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(7.0f, null);
        assertThat(virtual.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("VIRTUAL");
    }
}
