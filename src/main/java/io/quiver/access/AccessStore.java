package io.quiver.access;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where access counters live: per group, one bucket of counters per minute (kept two hours) and per hour (kept eight
 * days). Counters only ever add up, so replicas write into the same buckets without coordination; the field
 * {@link #LAST} is the one exception, the time of the latest access, merged by taking the largest. In memory for the
 * embedded default, in Redis otherwise (shared by replicas, survives restarts).
 */
public interface AccessStore {

    /** The field holding the latest access, epoch milliseconds. */
    String LAST = "last";

    /** What one flush adds for a group and minute. */
    record Delta(String group, long minute, Map<String, Long> counts, long lastAccessMillis) {
    }

    /** Adds the deltas to their groups' minute and hour buckets. Throws when the store cannot be reached. */
    void add(List<Delta> deltas);

    /**
     * Per group, the counters of its buckets from {@code from} to {@code to} (minute or hour indexes since the epoch,
     * both included; buckets no longer kept count as empty), summed ({@link #LAST}: the largest). Groups without any
     * are left out.
     */
    Map<String, Map<String, Long>> sum(Collection<String> groups, boolean minutes, long from, long to);

    /**
     * A group's buckets one by one from {@code from} to {@code to} (both included), in order; an empty map where a
     * bucket holds nothing or is no longer kept.
     */
    default List<Map<String, Long>> series(String group, boolean minutes, long from, long to) {
        List<Map<String, Long>> out = new java.util.ArrayList<>();
        long first = oldestKept(minutes, from, to);
        for (long i = from; i <= to; i++) {
            out.add(i < first ? Map.of() : sum(List.of(group), minutes, i, i).getOrDefault(group, Map.of()));
        }
        return out;
    }

    /** Where it is, for messages and health (no credentials). */
    String location();

    /** Adds counts into a summed map, taking the largest {@link #LAST}. */
    static void merge(Map<String, Long> into, Map<String, Long> bucket) {
        bucket.forEach((field, value) -> into.merge(field, value, LAST.equals(field) ? Math::max : Long::sum));
    }

    /** How long buckets are kept: minutes two hours, hours eight days (a week's window and a day of slack). */
    long MINUTE_BUCKETS_KEPT = 120;
    long HOUR_BUCKETS_KEPT = 192;

    /** The first bucket of a range worth reading: none older than kept exists, so a long range costs no more. */
    static long oldestKept(boolean minutes, long from, long to) {
        return Math.max(from, to - (minutes ? MINUTE_BUCKETS_KEPT : HOUR_BUCKETS_KEPT));
    }
}
