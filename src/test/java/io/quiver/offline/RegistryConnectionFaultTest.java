package io.quiver.offline;

import static io.quiver.support.GraphQL.dataPrefix;
import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.RegistryCatalog;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.OwnDatabaseResource;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import static io.quiver.support.GraphQL.ok;

/**
 * While writes run, PostgreSQL terminates the service's registry connections at random moments
 * ({@code pg_terminate_backend}), some of them in the middle of a commit. Every write either lands whole or leaves
 * nothing; a write the client was told landed is there; one whose outcome the service could not learn is either there
 * whole or absent; every snapshot reads back complete; after the grace period the sweeper leaves only what snapshots use.
 */
@QuarkusTest
@WithTestResource(value = OwnDatabaseResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "name", value = RegistryConnectionFaultTest.DATABASE))
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RegistryConnectionFaultTest {

    static final String DATABASE = "quiver_pgkill_test";
    private static final Pattern COMMIT_ID = Pattern.compile("commit id ([0-9a-f-]{36})");

    @Inject
    ObjectStore objects;

    @Inject
    SnapshotMaintenance maintenance;

    @Inject
    RegistryCatalog catalog;

    @Test
    void writesWhoseRegistryConnectionIsKilledLandWholeOrNotAtAll() throws Exception {
        String e = unique("cust");
        String name = unique("pgkill");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("v", "INT")))));
        byte[] bulk = Columnar.arrow("SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS event_timestamp, "
                + "i::INTEGER AS v FROM range(10000) t(i)");

        AtomicBoolean killing = new AtomicBoolean(true);
        AtomicInteger kills = new AtomicInteger();
        Random random = new Random(Long.getLong("pgkillSeed", 20261201L));
        Thread killer = new Thread(() -> {
            try (Connection admin = DriverManager.getConnection(PostgresTestDatabase.server() + "postgres", PostgresTestDatabase.user(),
                    PostgresTestDatabase.password()); Statement s = admin.createStatement()) {
                while (killing.get()) {
                    Thread.sleep(40 + random.nextInt(250));
                    try (var r = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '"
                            + DATABASE + "' AND pid <> pg_backend_pid()")) {
                        r.next();
                        kills.addAndGet(r.getInt(1));
                    }
                }
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }, "pg-killer");
        killer.setDaemon(true);

        List<String> landed = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Map<String, Long> rowsOf = new java.util.HashMap<>();
        killer.start();
        try {
            for (int i = 0; i < 30; i++) {
                boolean isBulk = i % 5 == 4;
                String answer = isBulk ? BulkRest.write(name, Columnar.ARROW, bulk, null).extract().asString()
                        : given().contentType("application/json").body(Map.of("query", "mutation($g: String!, $r: [JSON!]!) { write(group: $g, "
                                + "rows: $r) { rowsWritten snapshot { commitId } } }", "variables", Map.of("g", name, "r", List.of(Map.of(
                                "customer_id", 100_000 + i, "event_timestamp", "2026-01-01T00:00:00Z", "v", i))))).post("/graphql").then()
                                .extract().asString();
                JsonPath json = JsonPath.from(answer);
                String commitId = isBulk ? json.getString("snapshot.commitId") : json.getString("data.write.snapshot.commitId");
                if (commitId != null) {
                    landed.add(commitId);
                    rowsOf.put(commitId, isBulk ? 10_000L : 1L);
                } else {
                    assertThat(answer).as("a killed connection is an outage to retry, not an internal error")
                            .containsAnyOf("FEATURE_REGISTRY_UNAVAILABLE", "COMMIT_OUTCOME_UNKNOWN").doesNotContain("INTERNAL_ERROR");
                    Matcher m = COMMIT_ID.matcher(answer);
                    if (answer.contains("COMMIT_OUTCOME_UNKNOWN") && m.find()) {
                        unknown.add(m.group(1));
                        rowsOf.put(m.group(1), isBulk ? 10_000L : 1L);
                    }
                }
            }
        } finally {
            killing.set(false);
            killer.join(10_000);
        }
        assertThat(kills.get()).as("connections were killed").isPositive();

        JsonPath history = afterRecovery("query($g: String!) { snapshots(group: $g, first: 1000) { rowCount commitId operation files { key bytes } } }",
                Map.of("g", name));
        List<String> commits = history.getList("data.snapshots.commitId");
        assertThat(commits).containsAll(landed);
        Set<String> known = new HashSet<>(landed);
        known.addAll(unknown);
        assertThat(known).containsAll(commits); // nothing landed that was neither confirmed nor reported unknown
        // each snapshot holds exactly its write on top of its parent: no half write
        List<Long> counts = history.getList("data.snapshots.rowCount", Long.class);
        for (int i = 0; i < counts.size(); i++) {
            long parent = i + 1 < counts.size() ? counts.get(i + 1) : 0;
            assertThat(counts.get(i) - parent).isEqualTo(rowsOf.get(commits.get(i)));
        }
        for (Map<String, Object> f : history.<Map<String, Object>>getList("data.snapshots.files.flatten()")) {
            assertThat(objects.stat((String) f.get("key"))).map(ObjectInfo::size).contains(((Number) f.get("bytes")).longValue());
        }
        if (!counts.isEmpty()) {
            assertThat(afterRecovery("mutation($g: String!) { refreshFeatures(group: $g) { rowCount } }", Map.of("g", name))
                    .getLong("data.refreshFeatures.rowCount")).isEqualTo(counts.get(0));
        }
        Thread.sleep(2_500); // the grace period of the test profile
        maintenance.sweep(catalog.group(name, 0).group());
        Set<String> used = new HashSet<>(history.<String>getList("data.snapshots.files.flatten().key"));
        assertThat(new HashSet<>(objects.list(dataPrefix(name)).stream().map(ObjectInfo::key).toList())).isEqualTo(used);
    }

    /**
     * The query's answer once the registry answers again: pooled connections the killer ended fail their next use
     * (FEATURE_REGISTRY_UNAVAILABLE, which clients retry) until the pool has replaced them.
     */
    private static JsonPath afterRecovery(String query, Map<String, Object> variables) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (true) {
            JsonPath json = given().contentType("application/json").body(Map.of("query", query, "variables", variables)).post("/graphql")
                    .then().extract().jsonPath();
            if (json.get("errors") == null) {
                return json;
            }
            assertThat(json.getString("errors[0].extensions.code")).isEqualTo("FEATURE_REGISTRY_UNAVAILABLE");
            assertThat(System.nanoTime()).as("the registry answers again within 20 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
