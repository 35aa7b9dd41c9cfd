package io.quiver.online;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.post;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.registry.RegistryCatalog;
import io.quiver.support.ClusterRedisResource;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisCluster;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The online store on a Redis Cluster of the class's own (three masters with a replica each, on loopback): the
 * contract, records spread over every master, writes and materialization served online, a deleted version dropped
 * from every master, and the failover of a master during reads (last: it leaves the cluster without that replica).
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ClusterRedisResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest extends OnlineStoreContract {

    static final String PREFIX = "quiver-cluster:";
    static final String READ = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { "
            + "columns { values statuses } metadata { groups { source } } } }";

    @Inject
    OnlineStore store;

    @Inject
    RegistryCatalog catalog;

    @Override
    protected OnlineStore store() {
        return store;
    }

    /** How many keys matching the pattern each master holds. */
    private static List<Integer> keysPerMaster(String pattern) {
        List<Integer> counts = new ArrayList<>();
        for (int port : ClusterRedisResource.cluster.masters()) {
            String out = RedisCluster.cli(port, "--scan", "--pattern", pattern);
            counts.add((int) out.lines().filter(l -> !l.isBlank()).count());
        }
        return counts;
    }

    @Test
    @Order(1)
    void recordsOfOneTableSpreadOverEveryMasterAndReadBackInOneCall() {
        assertThat(store.location()).contains("(cluster)");
        String t = "spread_" + System.nanoTime() + ":1:1";
        List<OnlineRecord> records = new ArrayList<>();
        List<OnlineKey> keys = new ArrayList<>();
        for (int e = 0; e < 3_000; e++) {
            records.add(new OnlineRecord("[" + e + "]", 10 + e, "{\"v\":" + e + "}"));
            keys.add(new OnlineKey(t, "[" + e + "]"));
        }
        assertThat(store.write(t, records)).isEqualTo(3_000);
        List<Integer> perMaster = keysPerMaster(PREFIX + t + ":*");
        assertThat(perMaster).hasSize(RedisCluster.MASTERS).allMatch(n -> n > 500);
        assertThat(perMaster.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3_000);
        assertThat(store.read(keys)).containsExactlyElementsOf(records);
    }

    private String onlineGroup(String entity) {
        String g = unique("clu");
        register(List.of(entity(entity, "customer_id", "BIGINT")), List.of(with(group(g, entity, List.of(feature("amount", "DOUBLE"))),
                "eventTimestampColumn", "ts")));
        return g;
    }

    private static void write(String g, int entities, double base) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int c = 1; c <= entities; c++) {
            rows.add(Map.of("customer_id", c, "ts", "2026-01-02T00:00:00Z", "amount", base + c));
        }
        ok("mutation($g: String!, $r: [JSON!]!) { write(group: $g, rows: $r) { rowsWritten } }", Map.of("g", g, "r", rows));
    }

    private static JsonPath read(String g, int entities) {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (int c = 1; c <= entities; c++) {
            keys.add(Map.of("customer_id", c));
        }
        return ok(READ, Map.of("f", List.of(g + ".amount"), "e", keys));
    }

    @Test
    @Order(2)
    void writesAndMaterializationAreServedFromTheCluster() {
        String g = onlineGroup(unique("cust"));
        write(g, 50, 100);
        JsonPath r = read(g, 50);
        assertThat(r.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");
        assertThat(r.<Float>getList("data.onlineFeatures.columns[1].values")).hasSize(50).element(49).isEqualTo(150.0f);

        JsonPath job = ok("mutation($g: String!) { materializeIncremental(group: $g, wait: true) { status entities } }", Map.of("g", g));
        assertThat(job.getString("data.materializeIncremental.status")).isEqualTo("SUCCEEDED");
        assertThat(job.getLong("data.materializeIncremental.entities")).isEqualTo(50);
        assertThat(read(g, 50).<String>getList("data.onlineFeatures.columns[1].statuses")).containsOnly("PRESENT");
    }

    @Test
    @Order(3)
    void deletingAVersionDropsItsRecordsFromEveryMaster() throws Exception {
        String g = onlineGroup(unique("cust"));
        write(g, 300, 0);
        String table = OnlineCodec.table(catalog.group(g, 0).group());
        assertThat(keysPerMaster(PREFIX + table + ":*")).allMatch(n -> n > 0);
        assertThat(store.bytes(table)).isPositive();

        ok("mutation($g: String!) { deleteFeatureGroup(name: $g, force: true) { name } }", Map.of("g", g));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (keysPerMaster(PREFIX + table + ":*").stream().anyMatch(n -> n > 0)) {
            assertThat(System.nanoTime()).as("every master dropped %s", table).isLessThan(deadline);
            Thread.sleep(100);
        }
        assertThat(store.bytes(table)).isZero();
    }

    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aWriteNoReplicaConfirmedIsRefusedAndDoesNotDegradeReads() throws Exception {
        String g = onlineGroup(unique("cust"));
        int n = 50;
        write(g, n, 1000);
        RedisCluster cluster = ClusterRedisResource.cluster;
        List<Integer> replicas = cluster.replicas();
        assertThat(replicas).hasSize(RedisCluster.MASTERS);
        replicas.forEach(cluster::freeze);
        List<OnlineStoreException> refused = new ArrayList<>();
        try {
            // as many writes as the circuit breaker's window: refusals that counted as failures would open it. One
            // after the other: a cluster connection takes a connection to every node, replicas too, and a frozen
            // replica never answers a new connection's handshake, so only the pooled ones can be used meanwhile
            for (int w = 0; w < 4; w++) {
                try {
                    store.write("unreplicated:1:1", List.of(new OnlineRecord("[" + w + "]", 1, "{}")));
                    refused.add(null);
                } catch (OnlineStoreException e) {
                    refused.add(e);
                }
            }
            // Redis itself answers: reads stay on the online store
            JsonPath r = read(g, n);
            assertThat(r.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");
            assertThat(r.<Float>getList("data.onlineFeatures.columns[1].values")).element(n - 1).isEqualTo(1000.0f + n);
        } finally {
            replicas.forEach(cluster::thaw);
        }
        // with asynchronous replication these writes would have been acknowledged: WAIT held them back
        assertThat(refused).allSatisfy(e -> assertThat(e).isInstanceOf(ReplicationShortfallException.class)
                .hasMessageContaining("reached 0 of the 1 Redis replicas"));
        cluster.awaitOk(Duration.ofSeconds(30));
    }

    @Test
    @Order(Integer.MAX_VALUE) // after the contract's tests (default order): the cluster is short of a replica afterwards
    void aMasterFailsOverDuringReadsWhichKeepAnsweringAndNothingAcknowledgedIsLost() throws Exception {
        String g = onlineGroup(unique("cust"));
        int n = 200;
        write(g, n, 1000); // acknowledged: with wait-replicas 1 every record is on a replica too
        write(g, n, 2000);
        assertThat(read(g, n).getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        Map<String, Integer> sources = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (!stop.get()) {
                Map<String, Object> vars = new HashMap<>();
                List<Map<String, Object>> keys = new ArrayList<>();
                for (int c = 1; c <= n; c++) {
                    keys.add(Map.of("customer_id", c));
                }
                vars.put("f", List.of(g + ".amount"));
                vars.put("e", keys);
                JsonPath r = post(READ, vars).extract().jsonPath();
                reads.incrementAndGet();
                if (r.getList("errors") != null) {
                    wrong.add("errors: " + r.getList("errors"));
                    continue;
                }
                sources.merge(r.getString("data.onlineFeatures.metadata.groups[0].source"), 1, Integer::sum);
                List<Float> values = r.getList("data.onlineFeatures.columns[1].values", Float.class);
                for (int c = 1; c <= n; c++) {
                    if (values.get(c - 1) == null || values.get(c - 1) != 2000.0f + c) {
                        wrong.add("customer " + c + ": " + values.get(c - 1));
                        break;
                    }
                }
            }
        });
        Thread.sleep(500);
        RedisCluster cluster = ClusterRedisResource.cluster;
        cluster.kill(cluster.masters().get(0));
        cluster.awaitOk(Duration.ofSeconds(30)); // the replica took over
        // reads come back to the online store once the client sees the new master and the circuit closes
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int onlineBefore = sources.getOrDefault("ONLINE", 0);
        while (sources.getOrDefault("ONLINE", 0) < onlineBefore + 5) {
            assertThat(System.nanoTime()).as("reads served online again after the failover").isLessThan(deadline);
            Thread.sleep(100);
        }
        stop.set(true);
        reader.get();

        assertThat(wrong).as("answers during the failover").isEmpty();
        assertThat(reads.get()).isGreaterThan(5);
        JsonPath after = read(g, n);
        assertThat(after.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("ONLINE");
        assertThat(after.<String>getList("data.onlineFeatures.columns[1].statuses")).containsOnly("PRESENT");
        assertThat(after.<Float>getList("data.onlineFeatures.columns[1].values")).element(n - 1).isEqualTo(2000.0f + n);
        System.out.printf("failover: %d reads, by source %s%n", reads.get(), sources);

        // the promoted master has no replica now: with wait-replicas 1 a write it takes is refused, not acknowledged
        List<OnlineRecord> records = new ArrayList<>();
        for (int e = 0; e < 100; e++) {
            records.add(new OnlineRecord("[" + e + "]", 1, "{}"));
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.write("after_failover:1:1", records))
                .isInstanceOf(ReplicationShortfallException.class)
                .satisfies(e -> assertThat(((OnlineStoreException) e).detail()).contains("WAIT answered 0 of 1"));
    }
}
