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

/** The offline store's commit protocol (manifest rows, intents, head lock) against the real registry database. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class SnapshotLogTest {

    @Inject
    SnapshotLog log;

    @Inject
    WriteIntents intents;

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

    private static SnapshotFile file(String key) {
        return file(key, 1, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z");
    }

    private Snapshot commit(SnapshotChange change) {
        return log.commit(group, intents.open(group, change.operation()), change);
    }

    private List<String> keys(Snapshot s) {
        return log.files(s).stream().map(SnapshotFile::key).toList();
    }

    @Test
    void commitsChainAndTheHeadIsWhatReadersSee() {
        assertThat(log.current(name, 0)).isEmpty();
        SnapshotFile a = file("g/a.parquet", 10, "2026-01-01T00:00:00Z", "2026-01-05T00:00:00Z");
        SnapshotFile b = file("g/b.parquet", 5, "2025-12-01T00:00:00Z", "2026-01-02T00:00:00Z");

        Snapshot first = commit(SnapshotChange.append(List.of(a)));
        Snapshot second = commit(SnapshotChange.append(List.of(b)));

        assertThat(log.current(name, 0)).contains(second);
        assertThat(second.parentId()).isEqualTo(first.id());
        assertThat(List.of(first.sequenceNumber(), second.sequenceNumber())).containsExactly(1L, 2L);
        assertThat(second.fileCount()).isEqualTo(2);
        assertThat(second.rowCount()).isEqualTo(15);
        assertThat(second.bytes()).isEqualTo(1500);
        assertThat(second.minEventTime()).isEqualTo(Instant.parse("2025-12-01T00:00:00Z"));
        assertThat(second.maxEventTime()).isEqualTo(Instant.parse("2026-01-05T00:00:00Z"));
        assertThat(log.history(name, 0, 100, null)).extracting(Snapshot::id).containsExactly(second.id(), first.id());
        assertThat(log.history(name, 0, 1, second.id())).extracting(Snapshot::id).containsExactly(first.id());
        assertThat(log.files(log.byId(name, 1, first.id()))).containsExactly(a);
        assertThat(log.files(second)).containsExactly(a, b);

        JsonPath json = ok("query($g: String!) { snapshots(group: $g) { id parentId sequenceNumber operation rowCount bytes "
                + "fileCount minEventTime maxEventTime committedAt commitId files { key rows } addedFiles { key } removedFiles { key } } "
                + "featureGroup(name: $g) { lastDataUpdateAt } }", Map.of("g", name));
        assertThat(json.getList("data.snapshots.rowCount")).containsExactly(15, 10);
        assertThat(json.getList("data.snapshots[0].files.key")).containsExactly("g/a.parquet", "g/b.parquet");
        assertThat(json.getList("data.snapshots[0].addedFiles.key")).containsExactly("g/b.parquet");
        assertThat(json.getList("data.snapshots[1].files.key")).containsExactly("g/a.parquet");
        assertThat(json.getList("data.snapshots[0].removedFiles")).isEmpty();
        assertThat(json.getString("data.snapshots[0].minEventTime")).startsWith("2025-12-01T00:00");
        assertThat(json.getString("data.featureGroup.lastDataUpdateAt")).isNotNull();
    }

    @Test
    void anOverwriteReplacesEverythingLiveAndTimeTravelStillSeesTheOldFiles() {
        Snapshot first = commit(SnapshotChange.append(List.of(file("g/1"), file("g/2"))));
        Snapshot second = commit(SnapshotChange.overwrite(List.of(file("g/3"))));

        assertThat(keys(second)).containsExactly("g/3");
        assertThat(second.removedFileCount()).isEqualTo(2);
        assertThat(log.removed(second)).extracting(SnapshotFile::key).containsExactlyInAnyOrder("g/1", "g/2");
        assertThat(keys(first)).containsExactly("g/1", "g/2");
        assertThat(second.rowCount()).isEqualTo(1);
    }

    @Test
    void aRewriteOnAStaleHeadIsAConflictAndCommitsNothing() {
        Snapshot first = commit(SnapshotChange.append(List.of(file("g/1"))));
        commit(SnapshotChange.append(List.of(file("g/2"))));

        String id = intents.open(group, SnapshotOperation.BACKFILL);
        assertThatThrownBy(() -> log.commit(group, id, SnapshotChange.rewrite(SnapshotOperation.BACKFILL, first.id(), List.of("g/1"),
                List.of(new SnapshotChange.Added(file("g/1b"), "g/1")))))
                .isInstanceOf(SnapshotLog.HeadMovedException.class)
                .satisfies(e -> assertThat(((QuiverException) e).code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(log.history(name, 0, 100, null)).hasSize(2);
        assertThat(keys(log.current(name, 0).orElseThrow())).containsExactly("g/1", "g/2");
        assertThat(log.byCommit(group, id)).isEmpty();
    }

    @Test
    void aRewriteKeepsThePlaceOfTheFileItReplacesInTheWriteOrder() {
        commit(SnapshotChange.append(List.of(file("g/1"))));
        commit(SnapshotChange.append(List.of(file("g/2"))));
        Snapshot head = commit(SnapshotChange.append(List.of(file("g/3"))));

        Snapshot rewritten = commit(SnapshotChange.rewrite(SnapshotOperation.BACKFILL, head.id(), List.of("g/2"),
                List.of(new SnapshotChange.Added(file("g/2b"), "g/2"), new SnapshotChange.Added(file("g/new"), null))));

        assertThat(keys(rewritten)).containsExactly("g/1", "g/2b", "g/3", "g/new");
    }

    @Test
    void aCompactionCommitsOverAppendsThatLandedMeanwhileButNotOverAnOverwrite() {
        Snapshot head = commit(SnapshotChange.append(List.of(file("g/1"), file("g/2"))));
        List<String> old = keys(head);
        commit(SnapshotChange.append(List.of(file("g/late"))));

        Snapshot compacted = commit(SnapshotChange.replace(SnapshotOperation.COMPACT, old,
                List.of(new SnapshotChange.Added(file("g/merged", 2, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z"), old.get(0)))));
        // the merged file keeps the oldest place: the later append still wins ties
        assertThat(keys(compacted)).containsExactly("g/merged", "g/late");
        assertThat(compacted.rowCount()).isEqualTo(3);

        commit(SnapshotChange.overwrite(List.of(file("g/fresh"))));
        assertThatThrownBy(() -> commit(SnapshotChange.replace(SnapshotOperation.COMPACT, List.of("g/merged", "g/late"),
                List.of(new SnapshotChange.Added(file("g/merged2"), "g/merged")))))
                .isInstanceOf(QuiverException.class).hasMessageContaining("replaced by another write");
    }

    @Test
    void concurrentAppendsAllLandWithGapFreeSequenceNumbers() throws Exception {
        int writers = 6;
        List<Callable<Snapshot>> appends = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String key = "g/append-" + i;
            appends.add(() -> commit(SnapshotChange.append(List.of(file(key)))));
        }
        List<Snapshot> landed = Race.run(appends);

        Snapshot head = log.current(name, 0).orElseThrow();
        assertThat(log.files(head)).hasSize(writers);
        assertThat(landed).extracting(Snapshot::sequenceNumber).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(head.sequenceNumber()).isEqualTo(writers);
    }

    @Test
    void concurrentRewritesOfOneHeadNeverBothWin() throws Exception {
        Snapshot head = commit(SnapshotChange.append(List.of(file("g/base"))));
        List<Callable<Boolean>> rewrites = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String key = "g/rewrite-" + i;
            rewrites.add(() -> {
                try {
                    commit(SnapshotChange.rewrite(SnapshotOperation.BACKFILL, head.id(), List.of("g/base"),
                            List.of(new SnapshotChange.Added(file(key), "g/base"))));
                    return true;
                } catch (QuiverException e) {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    return false;
                }
            });
        }
        assertThat(Race.run(rewrites)).containsOnlyOnce(true);
        assertThat(log.files(log.current(name, 0).orElseThrow())).hasSize(1);
    }

    @Test
    void aCommitWhoseIntentWasFencedIsRefusedAndALandedCommitIsFoundByItsId() {
        String fenced = intents.open(group, SnapshotOperation.APPEND);
        assertThat(intents.fence(fenced)).isTrue();
        assertThatThrownBy(() -> log.commit(group, fenced, SnapshotChange.append(List.of(file("g/late")))))
                .isInstanceOf(QuiverException.class).hasMessageContaining("nothing was committed");
        assertThat(log.current(name, 0)).isEmpty();

        String id = intents.open(group, SnapshotOperation.APPEND);
        Snapshot landed = log.commit(group, id, SnapshotChange.append(List.of(file("g/ok"))));
        assertThat(log.byCommit(group, id)).contains(landed);
        assertThat(landed.commitId()).isEqualTo(id);
        // consumed by the commit: fencing it now proves nothing, and a second commit with it is refused
        assertThat(intents.fence(id)).isFalse();
        assertThatThrownBy(() -> log.commit(group, id, SnapshotChange.append(List.of(file("g/again"))))).isInstanceOf(QuiverException.class);
    }

    @Test
    void asOfFindsTheStateAtAMoment() {
        Instant before = Instant.now();
        Snapshot first = commit(SnapshotChange.append(List.of()));
        Instant between = first.committedAt().plusNanos(1000);
        while (!Instant.now().isAfter(between)) {
            Thread.onSpinWait();
        }
        Snapshot second = commit(SnapshotChange.append(List.of()));

        assertThat(log.asOf(name, 0, before.minusSeconds(1))).isEmpty();
        assertThat(log.asOf(name, 0, between)).contains(first);
        assertThat(log.asOf(name, 0, second.committedAt())).contains(second);
    }

    @Test
    void expiryForgetsAPrefixOfTheChainAndFreesOnlyFilesNoKeptSnapshotUses() {
        commit(SnapshotChange.append(List.of(file("g/1"))));
        Snapshot overwrite = commit(SnapshotChange.overwrite(List.of(file("g/2"))));
        Snapshot head = commit(SnapshotChange.append(List.of(file("g/3"))));

        SnapshotLog.Expired expired = log.expire(group, Instant.now().plusSeconds(60), 2);
        assertThat(expired.snapshots()).hasSize(1);
        assertThat(expired.freedKeys()).containsExactly("g/1");
        assertThat(log.history(name, 0, 100, null)).extracting(Snapshot::id).containsExactly(head.id(), overwrite.id());
        assertThat(keys(head)).containsExactly("g/2", "g/3");
        assertThat(log.recordedKeys(group)).containsExactlyInAnyOrder("g/2", "g/3");
    }

    @Test
    void snapshotsBelongToOneGroupVersion() {
        Snapshot mine = commit(SnapshotChange.append(List.of()));
        String e = unique("cust");
        String other = unique("other");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(other, e, List.of(feature("x", "INT")))));

        assertThatThrownBy(() -> log.byId(other, 0, mine.id())).isInstanceOf(QuiverException.class)
                .hasMessageContaining("has no snapshot " + mine.id());
        assertThat(log.history(other, 0, 100, null)).isEmpty();
        assertThat(failing("{ snapshots(group: \"never_registered_g\") { id } }", Map.of())
                .getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");
        assertThat(failing("query($g: String!) { snapshots(group: $g, first: 0) { id } }", Map.of("g", name))
                .getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void unsafeFileKeysAreRejectedBeforeAnythingIsCommitted() {
        assertThatThrownBy(() -> new SnapshotFile("../escape", 1, 1, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> file("g/x", 1, "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z")).isInstanceOf(IllegalArgumentException.class);
    }
}
