package io.quiver.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** What every access store does: counters add up per bucket and window, the latest access is the largest. */
public abstract class AccessStoreContract {

    /** A store with no counters for the groups the test names (a fresh key prefix for Redis). */
    protected abstract AccessStore store();

    private static final long MINUTE = 29_500_000L; // some minute in 2026, at an hour's start

    @Test
    void countersAddUpInTheirMinuteAndHourBuckets() {
        AccessStore s = store();
        s.add(List.of(new AccessStore.Delta("g1", MINUTE, Map.of("r.online.VIRTUALIZED", 3L, "l.online.120", 2L), 1_000L),
                new AccessStore.Delta("g1", MINUTE, Map.of("r.online.VIRTUALIZED", 4L), 900L),
                new AccessStore.Delta("g1", MINUTE + 1, Map.of("r.online.VIRTUALIZED", 5L, "e.online", 1L), 2_000L),
                new AccessStore.Delta("g2", MINUTE, Map.of("r.historical.MATERIALIZED", 1L), 500L)));

        assertThat(s.sum(List.of("g1"), true, MINUTE, MINUTE)).containsExactly(
                Map.entry("g1", Map.of("r.online.VIRTUALIZED", 7L, "l.online.120", 2L, AccessStore.LAST, 1_000L)));
        assertThat(s.sum(List.of("g1", "g2"), true, MINUTE, MINUTE + 59)).isEqualTo(Map.of(
                "g1", Map.of("r.online.VIRTUALIZED", 12L, "l.online.120", 2L, "e.online", 1L, AccessStore.LAST, 2_000L),
                "g2", Map.of("r.historical.MATERIALIZED", 1L, AccessStore.LAST, 500L)));
        assertThat(s.sum(List.of("g1"), false, MINUTE / 60, MINUTE / 60)).isEqualTo(
                Map.of("g1", Map.of("r.online.VIRTUALIZED", 12L, "l.online.120", 2L, "e.online", 1L, AccessStore.LAST, 2_000L)));
    }

    @Test
    void bucketsOutsideTheWindowAndGroupsWithoutCountersAreLeftOut() {
        AccessStore s = store();
        s.add(List.of(new AccessStore.Delta("old", MINUTE - 61, Map.of("w", 1L), 10L), new AccessStore.Delta("old", MINUTE, Map.of("w", 2L), 20L)));
        assertThat(s.sum(List.of("old", "never"), true, MINUTE - 60, MINUTE)).isEqualTo(Map.of("old", Map.of("w", 2L, AccessStore.LAST, 20L)));
        assertThat(s.sum(List.of("never"), false, 0, MINUTE / 60)).isEmpty();
    }

    @Test
    void aSeriesHasOneEntryPerBucketInOrderEmptyWhereNothingWasCounted() {
        AccessStore s = store();
        s.add(List.of(new AccessStore.Delta("s1", MINUTE, Map.of("r.online.MATERIALIZED", 2L), 100L),
                new AccessStore.Delta("s1", MINUTE + 2, Map.of("r.online.MATERIALIZED", 5L), 300L),
                new AccessStore.Delta("s2", MINUTE + 1, Map.of("w", 9L), 200L)));
        List<Map<String, Long>> series = s.series("s1", true, MINUTE - 1, MINUTE + 3);
        assertThat(series).containsExactly(Map.of(), Map.of("r.online.MATERIALIZED", 2L, AccessStore.LAST, 100L), Map.of(),
                Map.of("r.online.MATERIALIZED", 5L, AccessStore.LAST, 300L), Map.of());
        assertThat(s.series("s1", false, MINUTE / 60, MINUTE / 60)).containsExactly(Map.of("r.online.MATERIALIZED", 7L, AccessStore.LAST, 300L));
        // buckets older than kept count as empty, however long the range
        assertThat(s.series("s1", true, MINUTE, MINUTE + AccessStore.MINUTE_BUCKETS_KEPT + 5)).hasSize((int) AccessStore.MINUTE_BUCKETS_KEPT + 6)
                .first().isEqualTo(Map.of());
    }

    @Test
    void largeTotalsStayExact() {
        AccessStore s = store();
        long nanos = 300_000_000_000_123L; // a week of busy reads' time in nanoseconds
        s.add(List.of(new AccessStore.Delta("big", MINUTE, Map.of("ns.o.M", nanos), 1_776_000_000_123L),
                new AccessStore.Delta("big", MINUTE + 1, Map.of("ns.o.M", nanos), 1_776_000_060_456L)));
        assertThat(s.sum(List.of("big"), true, MINUTE, MINUTE + 1))
                .isEqualTo(Map.of("big", Map.of("ns.o.M", 2 * nanos, AccessStore.LAST, 1_776_000_060_456L)));
    }

    @Test
    void replicasAddingAtOnceLoseNothing() throws Exception {
        AccessStore s = store();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        s.add(List.of(new AccessStore.Delta("busy", MINUTE, Map.of("r.online.MATERIALIZED", 1L, "n.online", 10L), i + 1)));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(s.sum(List.of("busy"), true, MINUTE, MINUTE).get("busy"))
                .containsEntry("r.online.MATERIALIZED", 200L).containsEntry("n.online", 2_000L).containsEntry(AccessStore.LAST, 50L);
    }
}
