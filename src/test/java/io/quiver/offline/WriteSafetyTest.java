package io.quiver.offline;

import static io.quiver.support.GraphQL.dataPrefix;
import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.ingest.WriteService;
import io.quiver.config.QuiverConfig;
import io.quiver.error.QuiverException;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import jakarta.inject.Inject;
import io.quiver.ingest.WriteResult;

/**
 * What keeps a commit from ever referencing a file that is gone: the sweeper honours the intents of writes in
 * progress however long they take, fences writes that stopped renewing before it deletes their files, a commit
 * whose intent was fenced is refused, and a commit checks its files are in the object store. Deleted and
 * re-registered versions never share a prefix.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class WriteSafetyTest {

    @Inject
    WriteSessions sessions;

    @Inject
    WriteIntents intents;

    @Inject
    SnapshotMaintenance maintenance;

    @Inject
    SnapshotLog log;

    @Inject
    RegistryCatalog catalog;

    @Inject
    ObjectStore objects;

    @Inject
    QuiverConfig config;

    @Inject
    OfflineWriter writer;

    @TempDir
    Path tmp;

    private String name;
    private String entity;

    @BeforeEach
    void registerGroup() {
        entity = unique("cust");
        name = unique("safe");
        register(List.of(entity(entity, "customer_id", "BIGINT")), List.of(group(name, entity, List.of(feature("v", "INT")))));
    }

    private FeatureGroup current() {
        return catalog.group(name, 0).group();
    }

    private ParquetFileWriter.Written fakeFile(String n) throws Exception {
        Path f = tmp.resolve(n);
        Files.write(f, new byte[] {1, 2, 3, 4});
        return new ParquetFileWriter.Written(f, 1, 4, Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), "1", "1");
    }

    private void outlastTheGracePeriod() throws InterruptedException {
        Duration grace = config.offline().sweepGrace();
        assertThat(config.offline().intentRenewal()).isLessThan(grace.dividedBy(2));
        Thread.sleep(grace.toMillis() + 800); // real time: the intents' renewals and the files' ages are on real clocks
    }

    @Test
    void aWriteLongerThanTheGracePeriodKeepsItsFilesAndCommits() throws Exception {
        FeatureGroup g = current();
        try (WriteSessions.Session session = sessions.open(g, SnapshotOperation.APPEND, false)) {
            SnapshotFile file = session.uploadNow(fakeFile("a"));
            outlastTheGracePeriod();

            assertThat(maintenance.sweep(g)).isEmpty();
            assertThat(objects.stat(file.key())).isPresent();
            Snapshot s = session.commit(() -> SnapshotChange.append(List.of(file)));
            assertThat(log.files(s)).containsExactly(file);
        }
    }

    @Test
    void aWriteThatStoppedRenewingIsFencedItsFilesSweptAndItsCommitRefused() throws Exception {
        FeatureGroup g = current();
        WriteSessions.Session session = sessions.open(g, SnapshotOperation.APPEND, false);
        SnapshotFile file = session.uploadNow(fakeFile("b"));
        intents.release(session.id()); // as if its process had died: nobody renews it any more
        outlastTheGracePeriod();

        assertThat(maintenance.sweep(g)).containsExactly(file.key());
        assertThat(objects.stat(file.key())).isEmpty();
        assertThatThrownBy(() -> session.commit(() -> SnapshotChange.append(List.of(file))))
                .isInstanceOf(QuiverException.class).hasMessageContaining("nothing was committed");
        session.close();
        assertThat(log.current(g)).isEmpty();
    }

    @Test
    void aCommitRefusesAFileThatIsNoLongerInTheObjectStore() throws Exception {
        FeatureGroup g = current();
        try (WriteSessions.Session session = sessions.open(g, SnapshotOperation.APPEND, false)) {
            SnapshotFile file = session.uploadNow(fakeFile("c"));
            objects.delete(List.of(file.key()));
            assertThatThrownBy(() -> session.commit(() -> SnapshotChange.append(List.of(file))))
                    .isInstanceOf(QuiverException.class).hasMessageContaining("missing from the object store");
        }
        assertThat(log.current(g)).isEmpty();
    }

    /**
     * A write that fails while its uploads still wait for a thread (every upload thread busy with other writes) must
     * still end: its queued uploads never run, and closing it must not wait for them.
     */
    @Test
    void aWriteClosedWhileItsUploadsWaitForAThreadEndsAndLeavesNothing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ObjectStore slow = (ObjectStore) Proxy.newProxyInstance(ObjectStore.class.getClassLoader(), new Class<?>[] {ObjectStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("put") && args[1] instanceof Path file && file.getFileName().toString().startsWith("busy")) {
                        release.await(60, TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(objects, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        WriteSessions own = new WriteSessions(intents, log, slow, config);
        FeatureGroup g = current();
        List<WriteSessions.Session> busy = new ArrayList<>();
        try {
            for (int i = 0; i < config.ingest().uploadThreads(); i += 2) { // two uploads in flight per write
                WriteSessions.Session other = own.open(g, SnapshotOperation.APPEND, true);
                other.add(fakeFile("busy" + i));
                other.add(fakeFile("busy" + (i + 1)));
                busy.add(other);
            }
            WriteSessions.Session failing = own.open(g, SnapshotOperation.APPEND, true);
            failing.add(fakeFile("queued0"));
            failing.add(fakeFile("queued1"));

            assertTimeoutPreemptively(Duration.ofSeconds(30), failing::close, "closing a write with queued uploads returns");
            release.countDown();
            for (WriteSessions.Session other : busy) {
                assertThat(other.await()).hasSize(2);
                other.close();
            }
            assertThat(objects.list(dataPrefix(name))).extracting(ObjectInfo::key).noneMatch(k -> k.startsWith(dataPrefix(name) + failing.id()));
        } finally {
            release.countDown();
            own.stop();
        }
    }

    @Test
    void concurrentBackfillsOfOneRangeAreRetriedWithBackoffUntilEachLands() throws Exception {
        WriteService writer = io.quarkus.arc.Arc.container().instance(WriteService.class).get();
        writer.write(name, 0, List.of(Map.of("customer_id", 1, "event_timestamp", "2026-01-01T12:00:00Z", "v", 0)), WriteMode.APPEND, null);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Instant end = Instant.parse("2026-01-02T00:00:00Z");
        List<java.util.concurrent.Callable<WriteResult>> backfills = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            int v = i;
            backfills.add(() -> writer.write(name, 0, List.of(Map.of("customer_id", 1, "event_timestamp", "2026-01-01T12:00:00Z", "v", v)), null, new io.quiver.offline.BackfillRange(start, end)));
        }
        List<WriteResult> results = io.quiver.support.Race.run(backfills);

        assertThat(results).extracting(r -> r.snapshot().operation()).containsOnly(SnapshotOperation.BACKFILL);
        Snapshot head = log.current(current()).orElseThrow();
        // each backfill replaced the range whole: exactly one row is left, the last commit's
        assertThat(head.rowCount()).isEqualTo(1);
        assertThat(head.sequenceNumber()).isEqualTo(5);
        assertThat(objects.list(dataPrefix(name))).hasSizeGreaterThanOrEqualTo(1);
    }

    @Test
    void aVersionNumberReusedAfterADeletionNeverSharesFilesWithTheDeletedVersion() throws Exception {
        ok("mutation($g: String!, $r: [JSON!]!) { write(group: $g, rows: $r) { rowsWritten } }",
                Map.of("g", name, "r", List.of(Map.of("customer_id", 1, "event_timestamp", "2026-01-01T00:00:00Z", "v", 1))));
        String deletedPrefix = dataPrefix(name);
        // a write of the old version still in progress when it is deleted: its late upload lands in the old prefix
        WriteSessions.Session straggler = sessions.open(current(), SnapshotOperation.APPEND, false);
        ok("mutation($g: String!) { deleteFeatureGroup(name: $g) { deletedVersions } }", Map.of("g", name));
        SnapshotFile late = straggler.uploadNow(fakeFile("late"));
        assertThat(objects.stat(late.key())).isPresent();

        register(List.of(entity(entity, "customer_id", "BIGINT")), List.of(group(name, entity, List.of(feature("v", "INT")))));
        assertThat(current().version()).isEqualTo(1);
        String prefix = dataPrefix(name);
        assertThat(prefix).isNotEqualTo(deletedPrefix).doesNotStartWith(deletedPrefix);
        ok("mutation($g: String!, $r: [JSON!]!) { write(group: $g, rows: $r) { rowsWritten } }",
                Map.of("g", name, "r", List.of(Map.of("customer_id", 2, "event_timestamp", "2026-01-01T00:00:00Z", "v", 2))));

        intents.release(straggler.id()); // its process dies before it commits: only the sweep of deleted prefixes can find the file
        outlastTheGracePeriod();
        maintenance.sweepDeleted();
        assertThat(objects.list(deletedPrefix)).isEmpty();
        assertThat(objects.list(prefix)).extracting(ObjectInfo::key).hasSize(1);
        assertThat(log.files(log.current(current()).orElseThrow())).hasSize(1);
    }

    /**
     * Files an engine wrote itself into the write's directory: the commit takes exactly the files it reported, after
     * checking their sizes, and removes the rest of the directory (its _SUCCESS marker); an engine that fails midway,
     * or reports a file that is not whole, leaves nothing behind.
     */
    @Test
    void anEngineWrittenSnapshotLandsWholeOrLeavesNothing() {
        io.quiver.registry.model.GroupSchema schema = catalog.group(name, 0);
        String prefix = current().dataPrefix();
        byte[] data = io.quiver.support.Columnar.parquet("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' AS event_timestamp, 7 AS v");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        ExternalWrite.File part = new ExternalWrite.File("part-00000.zstd.parquet", 1, data.length, t, t, "1", "1");

        assertThatThrownBy(() -> writer.writeExternal(schema, true, location -> {
            objects.put(keyIn(prefix, location, part.name()), data);
            throw new QuiverException(io.quiver.error.ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the engine failed midway");
        }, w -> w)).hasMessageContaining("the engine failed midway");
        assertThat(objects.list(prefix)).as("files of a write that failed in the engine").isEmpty();

        assertThatThrownBy(() -> writer.writeExternal(schema, true, location -> {
            objects.put(keyIn(prefix, location, part.name()), data);
            return List.of(new ExternalWrite.File(part.name(), 1, data.length + 1, t, t, "1", "1"));
        }, w -> w)).hasMessageContaining("missing from the object store or incomplete");
        assertThat(objects.list(prefix)).as("files of a write whose file was not whole").isEmpty();
        assertThat(log.current(current())).isEmpty();

        CommittedWrite landed = writer.writeExternal(schema, true, location -> {
            objects.put(keyIn(prefix, location, part.name()), data);
            objects.put(keyIn(prefix, location, "_SUCCESS"), new byte[0]);
            return List.of(part);
        }, w -> w);
        List<String> committed = log.files(landed.snapshot()).stream().map(SnapshotFile::key).toList();
        assertThat(committed).singleElement().satisfies(k -> assertThat(k).matches(java.util.regex.Pattern.quote(prefix)
                + "[0-9a-f-]{36}_files/part-00000\\.zstd\\.parquet"));
        assertThat(objects.list(prefix).stream().map(ObjectInfo::key)).as("what the snapshot does not use is removed").containsExactlyElementsOf(committed);
        assertThat(landed.rows()).isEqualTo(1);
        try {
            Thread.sleep(config.offline().sweepGrace().toMillis() + 1_100); // the object store's clock has seconds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(maintenance.sweep(current())).as("the sweep past the grace period").isEmpty();
        assertThat(objects.list(prefix).stream().map(ObjectInfo::key)).containsExactlyElementsOf(committed);
    }

    /** The object key of a file an engine writes into the directory at {@code location} (its last segment is the directory's name). */
    private static String keyIn(String prefix, String location, String file) {
        return prefix + location.substring(location.lastIndexOf('/') + 1) + "/" + file;
    }
}
