package io.quiver.offline;

import static io.quiver.support.GraphQL.dataPrefix;
import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.ingest.WriteService;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** Retention, sweeping and compaction, through /graphql against PostgreSQL and S3Proxy. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class SnapshotMaintenanceTest {

    @Inject
    WriteService writer;

    @Inject
    HistoricalRetriever retriever;

    @Inject
    ObjectStore objects;

    @Inject
    SnapshotMaintenance maintenance;

    private String name;

    @BeforeEach
    void registerGroup() {
        String e = unique("cust");
        name = unique("maint");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("v", "INT")))));
    }

    private void append(int customer, int value) {
        writer.write(name, 0, List.of(Map.of("customer_id", customer, "event_timestamp", "2026-01-01T00:00:00Z", "v", value)),
                WriteMode.APPEND, null);
    }

    private List<String> dataFiles() {
        return objects.list(dataPrefix(name)).stream().map(ObjectInfo::key).toList();
    }

    @Test
    void compactionKeepsTheRowsInOneFileAndExpiryDeletesWhatOnlyOldSnapshotsUsed() {
        for (int i = 1; i <= 4; i++) {
            append(i, i * 10);
        }
        assertThat(dataFiles()).hasSize(4);

        JsonPath compacted = ok("mutation($g: String!) { compact(group: $g) { operation rowCount files { key } } }", Map.of("g", name));
        assertThat(compacted.getString("data.compact.operation")).isEqualTo("COMPACT");
        assertThat(compacted.getInt("data.compact.rowCount")).isEqualTo(4);
        assertThat(compacted.getList("data.compact.files")).hasSize(1);
        List<Map<String, Object>> values = retriever.retrieve(List.of(name + ".v"), List.of(
                Map.of("customer_id", 3, "event_timestamp", "2026-01-02T00:00:00Z")), "event_timestamp", false, null, List.of());
        assertThat(values.get(0).get("v").toString()).isEqualTo("30");
        assertThat(dataFiles()).hasSize(5); // old files stay for time travel

        JsonPath expired = ok("mutation($g: String!, $t: DateTime!) { expireSnapshots(group: $g, olderThan: $t) "
                + "{ expiredSnapshots deletedFiles } }", Map.of("g", name, "t", Instant.now().plusSeconds(60).toString()));
        assertThat(expired.getList("data.expireSnapshots.expiredSnapshots")).hasSize(4);
        assertThat(expired.getList("data.expireSnapshots.deletedFiles")).hasSize(4);
        assertThat(dataFiles()).containsExactly(compacted.getString("data.compact.files[0].key"));
        assertThat(ok("query($g: String!) { snapshots(group: $g) { operation } }", Map.of("g", name))
                .getList("data.snapshots.operation")).containsExactly("COMPACT");
    }

    @Test
    void keepLastAndTheHeadSurviveExpiry() {
        append(1, 1);
        append(2, 2);
        append(3, 3);
        JsonPath expired = ok("mutation($g: String!, $t: DateTime!) { expireSnapshots(group: $g, olderThan: $t, keepLast: 2) "
                + "{ expiredSnapshots deletedFiles } }", Map.of("g", name, "t", Instant.now().plusSeconds(60).toString()));
        assertThat(expired.getList("data.expireSnapshots.expiredSnapshots")).hasSize(1);
        // Appends share files: every file is still used by a kept snapshot.
        assertThat(expired.getList("data.expireSnapshots.deletedFiles")).isEmpty();
        assertThat(dataFiles()).hasSize(3);
    }

    @Test
    void orphanedFilesAreSweptOnlyAfterTheGracePeriod() throws InterruptedException {
        append(1, 1);
        String orphan = dataPrefix(name) + "interrupted-write.parquet";
        objects.put(orphan, new byte[] {1, 2, 3});
        // an engine's output directory left by a write whose process died, and a directory no write owns
        String engineDir = dataPrefix(name) + java.util.UUID.randomUUID() + "_files/";
        objects.put(engineDir + "part-00000-c000.zstd.parquet", new byte[] {4});
        objects.put(engineDir + "_SUCCESS", new byte[0]);
        String foreign = dataPrefix(name) + "other/x.parquet";
        objects.put(foreign, new byte[] {5});
        String expire = "mutation($g: String!, $t: DateTime!) { expireSnapshots(group: $g, olderThan: $t) { deletedFiles } }";

        JsonPath fresh = ok(expire, Map.of("g", name, "t", Instant.now().toString()));
        assertThat(fresh.getList("data.expireSnapshots.deletedFiles")).isEmpty();
        assertThat(dataFiles()).contains(orphan);

        // The grace period is real time on the object store's clock (2 s in the test profile).
        Thread.sleep(2_500);
        JsonPath later = ok(expire, Map.of("g", name, "t", Instant.now().toString()));
        assertThat(later.getList("data.expireSnapshots.deletedFiles")).containsExactlyInAnyOrder(orphan, engineDir + "part-00000-c000.zstd.parquet",
                engineDir + "_SUCCESS");
        assertThat(dataFiles()).hasSize(2).contains(foreign).doesNotContain(orphan);
    }

    /** Files a request staged for Spark and did not remove (its process died) are swept once older than the cut-off. */
    @Test
    void stagedFilesLeftByADeadRequestAreSwept() {
        String left = SnapshotMaintenance.SCRATCH + "scale-out/" + java.util.UUID.randomUUID() + "/entities.parquet";
        objects.put(left, new byte[] {1});
        assertThat(maintenance.sweepScratch(Instant.now().minusSeconds(60))).as("younger than the cut-off").doesNotContain(left);
        assertThat(objects.stat(left)).isPresent();
        assertThat(maintenance.sweepScratch(Instant.now().plusSeconds(5))).contains(left);
        assertThat(objects.stat(left)).isEmpty();
    }

    @Test
    void deletingAGroupDeletesItsDataFiles() {
        append(1, 1);
        append(2, 2);
        assertThat(dataFiles()).hasSize(2);
        String prefix = dataPrefix(name);
        ok("mutation($g: String!) { deleteFeatureGroup(name: $g) { deletedVersions } }", Map.of("g", name));
        assertThat(objects.list(prefix)).isEmpty();
    }

    @Test
    void maintenanceArgumentsAreChecked() {
        assertThat(failing("mutation($g: String!) { compact(group: $g) { id } }", Map.of("g", name))
                .getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
        assertThat(failing("mutation($g: String!, $t: DateTime!) { expireSnapshots(group: $g, olderThan: $t, keepLast: 0) { deletedFiles } }",
                Map.of("g", name, "t", Instant.now().toString())).getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
    }

    /**
     * A nullable feature added in place (a compatible change) reads as null from files written before it, before and
     * after compaction, and compaction keeps both the old rows and the new feature's values.
     */
    @Test
    void aFeatureAddedInPlaceReadsAsNullFromOlderFilesAndSurvivesCompaction() {
        String e = unique("cust");
        String g = unique("evolve");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(g, e, List.of(feature("v", "INT")))));
        writer.write(g, 0, List.of(Map.of("customer_id", 1, "event_timestamp", "2026-01-01T00:00:00Z", "v", 1)), WriteMode.APPEND, null);
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(g, e, List.of(feature("v", "INT"), feature("w", "DOUBLE")))));
        List<Map<String, Object>> rows = List.of(Map.of("customer_id", 1, "event_timestamp", "2026-02-01T00:00:00Z"),
                Map.of("customer_id", 2, "event_timestamp", "2026-02-01T00:00:00Z"));

        // no file has w yet
        assertThat(retriever.retrieve(List.of(g + ".w"), rows, "event_timestamp", false, null, List.of()))
                .extracting(r -> r.get("w")).containsOnlyNulls();

        writer.write(g, 0, List.of(Map.of("customer_id", 2, "event_timestamp", "2026-01-15T00:00:00Z", "v", 2, "w", 2.5)), WriteMode.APPEND, null);
        ok("mutation($g: String!) { compact(group: $g) { operation } }", Map.of("g", g));
        ok("mutation($g: String!) { refreshFeatures(group: $g) { rowCount } }", Map.of("g", g));

        List<Map<String, Object>> out = retriever.retrieve(List.of(g + ".v", g + ".w"), rows, "event_timestamp", false, null, List.of());
        assertThat(out.get(0).get("v").toString()).isEqualTo("1");
        assertThat(out.get(0)).containsEntry("w", null);
        assertThat(out.get(1).get("v").toString()).isEqualTo("2");
        assertThat(out.get(1).get("w").toString()).isEqualTo("2.5");
    }
}
