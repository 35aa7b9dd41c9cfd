package io.quiver.access;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Access counters in this process (the embedded default): buckets per group, minute and hour, dropped once older than
 * they are kept, so memory stays bounded by groups x 312 buckets.
 */
public class InMemoryAccessStore implements AccessStore {

    private record BucketKey(String group, boolean minutes, long index) {
    }

    private final Map<BucketKey, Map<String, Long>> buckets = new ConcurrentHashMap<>();

    @Override
    public void add(List<Delta> deltas) {
        long newestMinute = Long.MIN_VALUE;
        for (Delta d : deltas) {
            Map<String, Long> counts = new HashMap<>(d.counts());
            if (d.lastAccessMillis() > 0) {
                counts.put(LAST, d.lastAccessMillis());
            }
            for (BucketKey k : List.of(new BucketKey(d.group(), true, d.minute()), new BucketKey(d.group(), false, d.minute() / 60))) {
                buckets.compute(k, (key, old) -> {
                    Map<String, Long> merged = old == null ? new HashMap<>() : new HashMap<>(old);
                    AccessStore.merge(merged, counts);
                    return merged;
                });
            }
            newestMinute = Math.max(newestMinute, d.minute());
        }
        if (newestMinute != Long.MIN_VALUE) {
            long minute = newestMinute;
            buckets.keySet().removeIf(k -> k.minutes() ? k.index() <= minute - MINUTE_BUCKETS_KEPT : k.index() <= minute / 60 - HOUR_BUCKETS_KEPT);
        }
    }

    @Override
    public Map<String, Map<String, Long>> sum(Collection<String> groups, boolean minutes, long from, long to) {
        Map<String, Map<String, Long>> out = new HashMap<>();
        for (String g : groups) {
            for (long i = AccessStore.oldestKept(minutes, from, to); i <= to; i++) {
                Map<String, Long> bucket = buckets.get(new BucketKey(g, minutes, i));
                if (bucket != null) {
                    AccessStore.merge(out.computeIfAbsent(g, x -> new HashMap<>()), bucket);
                }
            }
        }
        return out;
    }

    @Override
    public String location() {
        return "in memory";
    }
}
