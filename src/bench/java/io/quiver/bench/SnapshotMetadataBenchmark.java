package io.quiver.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.offline.ParquetFileWriter;
import io.quiver.offline.SnapshotChange;
import io.quiver.offline.SnapshotFile;
import io.quiver.offline.SnapshotOperation;
import io.quiver.offline.WriteSessions;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.GroupSchema;
import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import jakarta.inject.Inject;

/**
 * Snapshot metadata as a group's history grows (issue: hardening): 10,000 appends of one small file each, and at
 * 100, 1,000 and 10,000 appends the cost of
 * <ul>
 * <li>a commit (the write session's commit: upload check, manifest rows, head move, intent release), the 20 before
 * the checkpoint;</li>
 * <li>a one-row {@code write} through {@code /graphql} (validation, Parquet, upload, commit), the 30 before it;</li>
 * <li>the {@code snapshots} page of the 20 newest, with the files each added, and a page 50 snapshots from the
 * start of the chain (deep paging);</li>
 * <li>time travel: {@code historicalFeatures} with {@code asOf} just after the 50th snapshot (50 live files).</li>
 * </ul>
 * The baseline is the same measurement at 100 appends; the ratios say whether cost grows with the history. The
 * filling appends go through the write session directly (same commit path, without Parquet writing per append).
 * Prints results; asserts nothing about timings.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FilesystemS3Resource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SnapshotMetadataBenchmark {

    private static final int[] CHECKPOINTS = {100, 1_000, Integer.getInteger("bench.appends", 10_000)};
    private static final int TIMED_COMMITS = 20;
    private static final int TIMED_WRITES = 30;
    private static final int QUERY_RUNS = 50;
    private static final String GROUP = "bench_meta";

    private static final String PAGE = """
            query($g: String!, $before: BigInteger) {
              snapshots(group: $g, first: 20, before: $before) { id sequenceNumber operation rowCount fileCount committedAt addedFiles { key } }
            }""";
    private static final String WRITE = "mutation($g: String!, $rows: [JSON!]!) { write(group: $g, rows: $rows) { rowsWritten } }";
    private static final String TRAVEL = """
            query($f: [String!]!, $e: [JSON!]!, $asOf: DateTime) { historicalFeatures(features: $f, entityRows: $e, asOf: $asOf) }""";

    @Inject
    WriteSessions sessions;

    @Inject
    ParquetFileWriter parquet;

    @Inject
    RegistryCatalog catalog;

    private int appends;

    @Test
    void snapshotMetadata() throws Exception {
        System.out.printf("%nSnapshot metadata benchmark: appends of one 1-row file each, checkpoints %d, %d, %d%n", CHECKPOINTS[0],
                CHECKPOINTS[1], CHECKPOINTS[2]);
        GraphQL.register(List.of(GraphQL.entity("bench_meta_key", "k", "BIGINT")), List.of(GraphQL.with(GraphQL.group(GROUP, "bench_meta_key",
                List.of(GraphQL.feature("v", "DOUBLE"))), "onlineEnabled", false)));
        GroupSchema schema = catalog.group(GROUP, 0);
        Path work = Files.createDirectories(FilesystemS3Resource.scratch.resolve("meta"));
        try {
            ParquetFileWriter.Written file = parquet.write(schema, List.of(Map.of("k", 1L, "event_timestamp",
                    java.time.Instant.parse("2026-01-01T00:00:00Z"), "v", 1.0)), work);
            List<double[]> rows = new ArrayList<>();
            String travelMoment = null;
            for (int checkpoint : CHECKPOINTS) {
                fillTo(schema, file, checkpoint - TIMED_COMMITS - TIMED_WRITES);
                double[] commits = new double[TIMED_COMMITS];
                for (int i = 0; i < TIMED_COMMITS; i++) {
                    commits[i] = append(schema, file) / 1e6;
                }
                double[] writes = new double[TIMED_WRITES];
                for (int i = 0; i < TIMED_WRITES; i++) {
                    Map<String, Object> row = Map.of("k", 2, "event_timestamp", "2026-01-02T00:00:00Z", "v", i);
                    writes[i] = timed(() -> GraphQL.ok(WRITE, Map.of("g", GROUP, "rows", List.of(row)))) / 1e6;
                    appends++;
                }
                long early = Long.parseLong(String.valueOf(bySequence(70).get("id")));
                if (travelMoment == null) {
                    travelMoment = String.valueOf(bySequence(50).get("committedAt"));
                }
                double head = repeat(() -> GraphQL.ok(PAGE, Map.of("g", GROUP)));
                double paged = repeat(() -> GraphQL.ok(PAGE, Map.of("g", GROUP, "before", early)));
                String moment = travelMoment;
                double travel = repeat(() -> GraphQL.ok(TRAVEL, Map.of("f", List.of(GROUP + ".v"), "asOf", moment,
                        "e", List.of(Map.of("k", 1, "event_timestamp", "2026-01-03T00:00:00Z")))));
                double[] r = {appends, median(commits), median(writes), head, paged, travel};
                rows.add(r);
                System.out.printf("after %,6d appends: commit %.2f ms, GraphQL 1-row write %.2f ms, snapshots page (newest 20) %.2f ms, "
                        + "page 50 from the start %.2f ms, asOf read at snapshot 50 %.2f ms%n", appends, r[1], r[2], r[3], r[4], r[5]);
            }
            double[] base = rows.get(0);
            for (double[] r : rows.subList(1, rows.size())) {
                System.out.printf("  %,6d vs %d appends: commit %.2fx, write %.2fx, snapshots page %.2fx, deep page %.2fx, asOf read %.2fx%n",
                        (int) r[0], (int) base[0], r[1] / base[1], r[2] / base[2], r[3] / base[3], r[4] / base[4], r[5] / base[5]);
            }
        } finally {
            try (Stream<Path> files = Files.walk(FilesystemS3Resource.scratch)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The snapshot at this position of the chain, found by paging from the head as a client would. */
    private Map<String, Object> bySequence(long sequence) {
        Long before = null;
        while (true) {
            Map<String, Object> vars = before == null ? Map.of("g", GROUP) : Map.of("g", GROUP, "before", before);
            List<Map<String, Object>> page = GraphQL.ok(PAGE, vars).getList("data.snapshots");
            for (Map<String, Object> s : page) {
                if (Long.parseLong(String.valueOf(s.get("sequenceNumber"))) == sequence) {
                    return s;
                }
            }
            before = Long.parseLong(String.valueOf(page.get(page.size() - 1).get("id")));
        }
    }

    private void fillTo(GroupSchema schema, ParquetFileWriter.Written file, int target) {
        while (appends < target) {
            append(schema, file);
        }
    }

    /** One append through a write session; returns the nanoseconds its commit took (the upload not included). */
    private long append(GroupSchema schema, ParquetFileWriter.Written file) {
        try (WriteSessions.Session session = sessions.open(schema.group(), SnapshotOperation.APPEND, false)) {
            SnapshotFile uploaded = session.uploadNow(file);
            long t0 = System.nanoTime();
            session.commit(() -> SnapshotChange.append(List.of(uploaded)));
            long took = System.nanoTime() - t0;
            appends++;
            return took;
        }
    }

    private static long timed(Supplier<?> action) {
        long t0 = System.nanoTime();
        action.get();
        return System.nanoTime() - t0;
    }

    /** Median milliseconds of {@link #QUERY_RUNS} runs after 5 warm-up runs. */
    private static double repeat(Supplier<?> action) {
        for (int i = 0; i < 5; i++) {
            action.get();
        }
        double[] ms = new double[QUERY_RUNS];
        for (int i = 0; i < QUERY_RUNS; i++) {
            ms[i] = timed(action) / 1e6;
        }
        return median(ms);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
