package io.quiver.offline;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.Race;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** The offline store's commit protocol against the real registry database. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class SnapshotLogTest {

    @Inject
    SnapshotLog log;

    @Inject
    RegistryCatalog catalog;

    private String name;
    private FeatureGroup group;

    @BeforeEach
    void registerGroup() {
        String e = unique("cust");
        name = unique("snap");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("amount", "DOUBLE")))));
        group = catalog.group(name, 0).group();
    }

    private static SnapshotFile file(String key, long rows, String min, String max) {
        return new SnapshotFile(key, rows, rows * 100, Instant.parse(min), Instant.parse(max));
    }

    @Test
    void commitsChainAndTheHeadIsWhatReadersSee() {
        assertThat(log.current(name, 0)).isEmpty();
        SnapshotFile a = file("g/a.parquet", 10, "2026-01-01T00:00:00Z", "2026-01-05T00:00:00Z");
        SnapshotFile b = file("g/b.parquet", 5, "2025-12-01T00:00:00Z", "2026-01-02T00:00:00Z");

        Snapshot first = log.commit(group, null, SnapshotOperation.APPEND, List.of(a));
        Snapshot second = log.commit(group, first.id(), SnapshotOperation.APPEND, List.of(a, b));

        assertThat(log.current(name, 0)).contains(second);
        assertThat(second.parentId()).isEqualTo(first.id());
        assertThat(second.rowCount()).isEqualTo(15);
        assertThat(second.bytes()).isEqualTo(1500);
        assertThat(second.minEventTime()).isEqualTo(Instant.parse("2025-12-01T00:00:00Z"));
        assertThat(second.maxEventTime()).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
        assertThat(log.history(name, 0)).extracting(Snapshot::id).containsExactly(second.id(), first.id());
        assertThat(log.byId(name, 1, first.id()).files()).containsExactly(a);

        JsonPath json = ok("query($g: String!) { snapshots(group: $g) { id parentId operation rowCount bytes "
                + "minEventTime maxEventTime committedAt files { key rows } } "
                + "featureGroup(name: $g) { lastDataUpdateAt } }", Map.of("g", name));
        assertThat(json.getList("data.snapshots.rowCount")).containsExactly(15, 10);
        assertThat(json.getList("data.snapshots[0].files.key")).containsExactly("g/a.parquet", "g/b.parquet");
        assertThat(json.getString("data.snapshots[0].minEventTime")).startsWith("2025-12-01T00:00");
        assertThat(json.getString("data.featureGroup.lastDataUpdateAt")).isNotNull();
    }

    @Test
    void aCommitOnAStaleParentIsAConflictAndCommitsNothing() {
        Snapshot first = log.commit(group, null, SnapshotOperation.OVERWRITE, List.of(file("g/1", 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")));
        log.commit(group, first.id(), SnapshotOperation.APPEND, List.of());

        assertThatThrownBy(() -> log.commit(group, first.id(), SnapshotOperation.APPEND, List.of()))
                .isInstanceOf(QuiverException.class)
                .satisfies(e -> assertThat(((QuiverException) e).code()).isEqualTo(ErrorCode.CONFLICT))
                .hasMessageContaining("Retry the write");
        assertThatThrownBy(() -> log.commit(group, null, SnapshotOperation.APPEND, List.of()))
                .isInstanceOf(QuiverException.class);
        assertThat(log.history(name, 0)).hasSize(2);
    }

    @Test
    void concurrentWritersOnOneParentNeverBothWinAndRetriesLoseNothing() throws Exception {
        int writers = 6;
        // Round 1: everyone builds on the same (empty) head; exactly one commit lands.
        List<Callable<Boolean>> blind = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String key = "g/blind-" + i;
            blind.add(() -> {
                try {
                    log.commit(group, null, SnapshotOperation.APPEND, List.of(file(key, 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z")));
                    return true;
                } catch (QuiverException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    return false;
                }
            });
        }
        assertThat(Race.run(blind)).containsOnlyOnce(true);

        // Round 2: writers that re-read the head and retry on conflict all land, each adding its file.
        List<Callable<Boolean>> retrying = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String key = "g/retry-" + i;
            retrying.add(() -> {
                for (int attempt = 0; attempt < 100; attempt++) {
                    Snapshot head = log.current(name, 0).orElseThrow();
                    List<SnapshotFile> files = new ArrayList<>(head.files());
                    files.add(file(key, 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"));
                    try {
                        log.commit(group, head.id(), SnapshotOperation.APPEND, files);
                        return true;
                    } catch (QuiverException e) {
                        assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    }
                }
                return false;
            });
        }
        assertThat(Race.run(retrying)).containsOnly(true);
        Snapshot head = log.current(name, 0).orElseThrow();
        assertThat(head.files()).hasSize(1 + writers);
        assertThat(log.history(name, 0)).hasSize(1 + writers);
    }

    @Test
    void asOfFindsTheStateAtAMoment() throws Exception {
        Instant before = Instant.now();
        Snapshot first = log.commit(group, null, SnapshotOperation.APPEND, List.of());
        Instant between = first.committedAt().plusNanos(1000);
        while (!Instant.now().isAfter(between)) {
            Thread.onSpinWait();
        }
        Snapshot second = log.commit(group, first.id(), SnapshotOperation.APPEND, List.of());

        assertThat(log.asOf(name, 0, before.minusSeconds(1))).isEmpty();
        assertThat(log.asOf(name, 0, between)).contains(first);
        assertThat(log.asOf(name, 0, second.committedAt())).contains(second);
    }

    @Test
    void snapshotsBelongToOneGroupVersion() {
        Snapshot mine = log.commit(group, null, SnapshotOperation.APPEND, List.of());
        String e = unique("cust");
        String other = unique("other");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(other, e, List.of(feature("x", "INT")))));

        assertThatThrownBy(() -> log.byId(other, 0, mine.id())).isInstanceOf(QuiverException.class)
                .hasMessageContaining("has no snapshot " + mine.id());
        assertThat(log.history(other, 0)).isEmpty();
        assertThat(failing("{ snapshots(group: \"never_registered_g\") { id } }", Map.of())
                .getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");
    }

    @Test
    void unsafeFileKeysAreRejectedBeforeAnythingIsCommitted() {
        assertThatThrownBy(() -> new SnapshotFile("../escape", 1, 1, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> file("g/x", 1, "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z")).isInstanceOf(IllegalArgumentException.class);
    }
}
