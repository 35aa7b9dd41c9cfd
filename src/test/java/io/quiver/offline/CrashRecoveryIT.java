package io.quiver.offline;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.S3ObjectStore;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.S3ProxyServer;
import io.quiver.support.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.util.UUID;

/**
 * The packaged service is killed with SIGKILL at random moments during bulk writes and during compaction, then
 * started again, against the real PostgreSQL, Redis and an S3 server that keeps its objects on disk. Afterwards every
 * committed snapshot reads back complete, no half-written snapshot is visible, every write the client was told landed
 * is there, and once the grace period passed the sweeper has removed every file no snapshot uses. The kill moments
 * come from a fixed seed (replay another with {@code -DcrashSeed=N}); the rounds are few, so the test stays under two
 * minutes.
 */
class CrashRecoveryIT {

    private static final long ROWS = 120_000; // 30 files of 4,096 rows: staging, writing and uploading take a while
    private static final Duration GRACE = Duration.ofSeconds(3);

    private static S3ProxyServer s3;
    private static ServiceProcess service;
    private static S3ObjectStore objects;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startEverything() throws Exception {
        Path dir = Path.of("target", "crash-it");
        Files.createDirectories(dir);
        s3 = S3ProxyServer.start(Files.createTempDirectory(dir.toAbsolutePath(), "s3"));
        String db = PostgresTestDatabase.createDatabase("quiver_crash_test");
        Map<String, String> settings = ServiceProcess.realServices(db, s3, "quiver-crash",
                "quiver-crash:" + UUID.randomUUID().toString().substring(0, 8) + ":", dir);
        settings.put("quiver.offline.sweep-grace", "PT" + GRACE.toSeconds() + "S");
        settings.put("quiver.offline.intent-renewal", "PT0.5S");
        settings.put("quiver.offline.sweep-interval", "off");
        settings.put("quiver.offline.file-rows", "4096");
        settings.put("quiver.duckdb.memory-limit", "1GB");
        service = new ServiceProcess(settings);
        service.start();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = service.base().getPort();
        objects = new S3ObjectStore(s3.endpoint(), "us-east-1", S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY, "quiver-crash", 64 << 20, java.time.Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopEverything() {
        if (service != null) {
            service.close();
        }
        if (s3 != null) {
            s3.close();
        }
        RestAssured.reset();
    }

    private static Random random(String test) {
        return new Random(Long.getLong("crashSeed", 20261201L) ^ test.hashCode());
    }

    private static String newGroup(String prefix) {
        String e = unique("cust");
        String g = unique(prefix);
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(g, e, List.of(feature("v", "INT"), feature("name", "STRING")))));
        return g;
    }

    private static byte[] rows(long from, long n) {
        return Columnar.arrow("SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(i % 86400) AS event_timestamp, "
                + "i::INTEGER AS v, 'n' || i AS name FROM range(" + from + ", " + (from + n) + ") t(i)", 16384);
    }

    private static CompletableFuture<HttpResponse<String>> bulkWrite(String g, byte[] body) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(service.base().resolve("api/v1/groups/" + g + "/data")).timeout(Duration.ofMinutes(2))
                .header("Content-Type", Columnar.ARROW).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The answer, if the service gave one before it died. */
    private static Optional<HttpResponse<String>> outcome(CompletableFuture<HttpResponse<String>> call) {
        try {
            return Optional.of(call.get(2, TimeUnit.MINUTES));
        } catch (Exception cutOff) {
            return Optional.empty();
        }
    }

    private static JsonPath history(String g) {
        return ok("query($g: String!) { snapshots(group: $g, first: 1000) { id sequenceNumber operation rowCount commitId "
                + "files { key bytes } } }", Map.of("g", g));
    }

    /** Every file of every snapshot is in the object store whole, and the head reads back with all its rows. */
    private static void assertEverySnapshotComplete(String g, JsonPath history) {
        List<Map<String, Object>> snapshots = history.getList("data.snapshots");
        for (int i = 0; i < snapshots.size(); i++) {
            for (Map<String, Object> f : history.<Map<String, Object>>getList("data.snapshots[" + i + "].files")) {
                assertThat(objects.stat((String) f.get("key"))).as("file %s of snapshot %s", f.get("key"), snapshots.get(i).get("id"))
                        .map(ObjectInfo::size).contains(((Number) f.get("bytes")).longValue());
            }
        }
        if (!snapshots.isEmpty()) {
            long head = history.getLong("data.snapshots[0].rowCount");
            assertThat(ok("mutation($g: String!) { refreshFeatures(group: $g) { rowCount } }", Map.of("g", g))
                    .getLong("data.refreshFeatures.rowCount")).isEqualTo(head);
        }
    }

    /** Past the grace period, a sweep leaves exactly the files the kept snapshots use. */
    private static void assertSweptToWhatSnapshotsUse(String g) throws InterruptedException {
        Thread.sleep(GRACE.toMillis() + 1_000); // intents of killed writers are unrenewed past the grace period now
        ok("mutation($g: String!, $t: DateTime!) { expireSnapshots(group: $g, olderThan: $t, keepLast: 1000) { deletedFiles } }",
                Map.of("g", g, "t", Instant.EPOCH.toString()));
        String prefix = ok("query($g: String!) { featureGroup(name: $g) { dataPrefix } }", Map.of("g", g)).getString("data.featureGroup.dataPrefix");
        Set<String> used = new HashSet<>(history(g).<String>getList("data.snapshots.files.flatten().key"));
        Set<String> stored = new HashSet<>(objects.list(prefix).stream().map(ObjectInfo::key).toList());
        assertThat(stored).isEqualTo(used);
    }

    @Test
    void killedInTheMiddleOfBulkWritesNothingCommittedIsLostAndNothingHalfWrittenIsVisible() throws Exception {
        String g = newGroup("crashw");
        Random random = random("writes");
        List<String> confirmed = new ArrayList<>();
        // one write nobody interrupts, to know how long one takes
        long started = System.nanoTime();
        HttpResponse<String> calm = outcome(bulkWrite(g, rows(0, ROWS))).orElseThrow();
        long took = Math.max(200, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertThat(calm.statusCode()).as(calm.body()).isEqualTo(200);
        confirmed.add(JsonPath.from(calm.body()).getString("snapshot.commitId"));
        int rounds = 5;
        for (int round = 1; round <= rounds; round++) {
            CompletableFuture<HttpResponse<String>> write = bulkWrite(g, rows(round * ROWS, ROWS));
            // anywhere from the upload's start to just after its answer: staging, writing files, uploading, committing
            Thread.sleep((long) (took * (0.05 + 1.1 * random.nextDouble())));
            service.kill();
            outcome(write).filter(r -> r.statusCode() == 200).ifPresent(r -> confirmed.add(JsonPath.from(r.body()).getString("snapshot.commitId")));
            service.start();
        }

        JsonPath history = history(g);
        List<Long> counts = history.getList("data.snapshots.rowCount", Long.class);
        // appends only: each snapshot holds whole writes, one more than its parent
        for (int i = 0; i < counts.size(); i++) {
            assertThat(counts.get(i)).isEqualTo(ROWS * (counts.size() - i));
        }
        assertThat(history.<String>getList("data.snapshots.commitId")).containsAll(confirmed);
        assertEverySnapshotComplete(g, history);
        assertSweptToWhatSnapshotsUse(g);
    }

    @Test
    void killedInTheMiddleOfACompactionTheGroupReadsTheSameAndNothingItUsesIsDeleted() throws Exception {
        String g = newGroup("crashc");
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> r = outcome(bulkWrite(g, rows(i * 6_000L, 6_000))).orElseThrow();
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
        long rows = history(g).getLong("data.snapshots[0].rowCount");
        Random random = random("compaction");
        for (int round = 0; round < 3; round++) {
            CompletableFuture<HttpResponse<String>> compact = CLIENT.sendAsync(HttpRequest.newBuilder(service.base().resolve("graphql"))
                    .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"query\": \"mutation { compact(group: \\\"" + g + "\\\") { id } }\"}")).build(), HttpResponse.BodyHandlers.ofString());
            Thread.sleep(50 + random.nextInt(1_200));
            service.kill();
            outcome(compact);
            service.start();
            if (round % 2 == 0) { // more small files, so the next compaction has work again
                assertThat(outcome(bulkWrite(g, rows(100_000L + round * 6_000L, 6_000))).orElseThrow().statusCode()).isEqualTo(200);
                rows += 6_000;
            }
        }
        JsonPath history = history(g);
        assertThat(history.getLong("data.snapshots[0].rowCount")).isEqualTo(rows);
        assertThat(history.<String>getList("data.snapshots.operation")).containsOnly("APPEND", "COMPACT");
        assertEverySnapshotComplete(g, history);
        assertSweptToWhatSnapshotsUse(g);
        // the data itself: every written entity once, with its value
        List<Map<String, Object>> sample = ok("query($f: [String!]!, $e: [JSON!]!) { historicalFeatures(features: $f, entityRows: $e) }",
                Map.of("f", List.of(g + ".v"), "e", List.of(Map.of("customer_id", 5, "event_timestamp", "2026-02-01T00:00:00Z"),
                        Map.of("customer_id", 71_999, "event_timestamp", "2026-02-01T00:00:00Z")))).getList("data.historicalFeatures");
        assertThat(sample).extracting(r -> ((Number) r.get("v")).longValue()).containsExactly(5L, 71_999L);
    }
}
