package io.quiver.online;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import io.quiver.support.Race;

/**
 * What every online store must do, run against each implementation: records by table and entity, newer-wins
 * writes decided inside the store (also under concurrent writers), one read for many keys in order, drop.
 */
public abstract class OnlineStoreContract {

    /** The store under test. */
    protected abstract OnlineStore store();

    private static String table() {
        return "t_" + UUID.randomUUID().toString().substring(0, 8) + ":1";
    }

    @Test
    void writtenRecordsReadBackInKeyOrderWithNullsForMissingOnes() {
        String t = table();
        assertThat(store().write(t, List.of(new OnlineRecord("[1]", 10, "{\"a\":1}"), new OnlineRecord("[\"x y\",2]", 20, "{\"a\":\"é\"}"))))
                .isEqualTo(2);

        List<OnlineRecord> read = store().read(List.of(new OnlineKey(t, "[\"x y\",2]"), new OnlineKey(t, "[3]"),
                new OnlineKey(t, "[1]"), new OnlineKey(table(), "[1]")));

        assertThat(read).containsExactly(new OnlineRecord("[\"x y\",2]", 20, "{\"a\":\"é\"}"), null,
                new OnlineRecord("[1]", 10, "{\"a\":1}"), null);
        assertThat(store().read(List.of())).isEmpty();
    }

    @Test
    void anOlderEventNeverReplacesANewerOneAndAnEqualOneDoes() {
        String t = table();
        store().write(t, List.of(new OnlineRecord("[1]", 100, "new")));

        assertThat(store().write(t, List.of(new OnlineRecord("[1]", 99, "old")))).isZero();
        assertThat(store().read(List.of(new OnlineKey(t, "[1]"))).get(0).payload()).isEqualTo("new");

        assertThat(store().write(t, List.of(new OnlineRecord("[1]", 100, "replayed")))).isEqualTo(1);
        assertThat(store().read(List.of(new OnlineKey(t, "[1]"))).get(0).payload()).isEqualTo("replayed");

        // within one batch the rule applies record by record
        assertThat(store().write(t, List.of(new OnlineRecord("[1]", 150, "a"), new OnlineRecord("[1]", 120, "b")))).isEqualTo(1);
        assertThat(store().read(List.of(new OnlineKey(t, "[1]"))).get(0)).isEqualTo(new OnlineRecord("[1]", 150, "a"));
    }

    @Test
    void equalEventTimesAreDecidedByTheCreatedTime() {
        String t = table();
        store().write(t, List.of(new OnlineRecord("[1]", 100, 50, "created-50")));

        assertThat(store().write(t, List.of(new OnlineRecord("[1]", 100, 40, "created-40")))).isZero();
        assertThat(store().write(t, List.of(new OnlineRecord("[1]", 100, OnlineRecord.NO_CREATED_TIME, "none")))).isZero();
        assertThat(store().read(List.of(new OnlineKey(t, "[1]"))).get(0).payload()).isEqualTo("created-50");

        assertThat(store().write(t, List.of(new OnlineRecord("[1]", 100, 60, "created-60")))).isEqualTo(1);
        assertThat(store().read(List.of(new OnlineKey(t, "[1]"))).get(0)).isEqualTo(new OnlineRecord("[1]", 100, 60, "created-60"));
        // a newer event wins whatever its created time
        assertThat(store().write(t, List.of(new OnlineRecord("[1]", 101, OnlineRecord.NO_CREATED_TIME, "newer")))).isEqualTo(1);
    }

    @Test
    void concurrentWritersLeaveTheNewestEventOfEveryEntity() throws Exception {
        String t = table();
        Random random = new Random(7);
        List<List<OnlineRecord>> batches = new ArrayList<>();
        long[] newest = new long[50];
        for (int w = 0; w < 6; w++) {
            List<OnlineRecord> batch = new ArrayList<>();
            for (int e = 0; e < newest.length; e++) {
                long time = 1_000 + random.nextInt(1_000_000);
                newest[e] = Math.max(newest[e], time);
                batch.add(new OnlineRecord("[" + e + "]", time, "v" + time));
            }
            batches.add(batch);
        }
        List<Callable<Long>> writers = batches.stream().map(b -> (Callable<Long>) () -> store().write(t, b)).toList();
        Race.run(writers);

        List<OnlineKey> keys = new ArrayList<>();
        for (int e = 0; e < newest.length; e++) {
            keys.add(new OnlineKey(t, "[" + e + "]"));
        }
        List<OnlineRecord> read = store().read(keys);
        for (int e = 0; e < newest.length; e++) {
            assertThat(read.get(e).eventMicros()).as("entity %d", e).isEqualTo(newest[e]);
            assertThat(read.get(e).payload()).isEqualTo("v" + newest[e]);
        }
    }

    @Test
    void largeWritesGoInBatchesAndDropRemovesATableOnly() {
        String t = table();
        String other = table();
        List<OnlineRecord> many = new ArrayList<>();
        for (int e = 0; e < 3_000; e++) {
            many.add(new OnlineRecord("[" + e + "]", e, "p" + e));
        }
        assertThat(store().write(t, many)).isEqualTo(3_000);
        store().write(other, List.of(new OnlineRecord("[1]", 1, "keep")));

        store().drop(t);

        assertThat(store().read(List.of(new OnlineKey(t, "[5]"), new OnlineKey(t, "[2999]")))).containsOnlyNulls();
        assertThat(store().read(List.of(new OnlineKey(other, "[1]"))).get(0).payload()).isEqualTo("keep");
        store().checkReady();
        assertThat(store().location()).isNotBlank();
    }

    @Test
    void droppingATableDropsItsGenerationsAndDroppingAGenerationLeavesTheTable() {
        String t = table();
        String first = t + ":s1";
        String second = t + ":s2";
        store().write(t, List.of(new OnlineRecord("[1]", 1, "own")));
        store().write(first, List.of(new OnlineRecord("[1]", 1, "first")));
        store().write(second, List.of(new OnlineRecord("[1]", 1, "second")));

        store().drop(first);
        assertThat(store().read(List.of(new OnlineKey(t, "[1]"), new OnlineKey(first, "[1]"), new OnlineKey(second, "[1]"))))
                .extracting(r -> r == null ? null : r.payload()).containsExactly("own", null, "second");
        assertThat(store().bytes(first)).isZero();
        assertThat(store().bytes(second)).isPositive();

        store().drop(t);
        assertThat(store().read(List.of(new OnlineKey(t, "[1]"), new OnlineKey(second, "[1]")))).containsOnlyNulls();
        assertThat(store().bytes(t)).isZero();
        assertThat(store().bytes(second)).isZero();
    }

    @Test
    void bytesFollowWhatIsStoredAndDropResetsThem() {
        String t = table();
        assertThat(store().bytes(t)).isZero();
        store().write(t, List.of(new OnlineRecord("[1]", 100, "abc"), new OnlineRecord("[2]", 100, "é")));
        long first = store().bytes(t);
        // two keys of the same length, two equal times, 3 + 2 payload bytes (UTF-8)
        long perRecordOverhead = (first - 5) / 2;
        assertThat(first).isEqualTo(2 * perRecordOverhead + 5).isGreaterThan(5);

        // a newer record 10 bytes longer grows the count by exactly 10; an older one changes nothing
        store().write(t, List.of(new OnlineRecord("[1]", 200, "abc0123456789")));
        assertThat(store().bytes(t) - first).isEqualTo(10 + (Long.toString(200).length() - Long.toString(100).length()));
        long second = store().bytes(t);
        store().write(t, List.of(new OnlineRecord("[2]", 50, "a much longer payload that loses")));
        assertThat(store().bytes(t)).isEqualTo(second);

        // a shorter newer record shrinks it; another table is counted apart
        store().write(t, List.of(new OnlineRecord("[1]", 300, "x")));
        assertThat(store().bytes(t)).isEqualTo(second - 12);
        String other = table();
        store().write(other, List.of(new OnlineRecord("[1]", 1, "keep")));

        store().drop(t);
        assertThat(store().bytes(t)).isZero();
        assertThat(store().bytes(other)).isPositive();
    }
}
