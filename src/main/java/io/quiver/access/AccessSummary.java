package io.quiver.access;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quiver.config.Mode;

/** A group's counters over a window ({@link AccessStore#sum}), read back by path and strategy. */
public final class AccessSummary {

    /** The paths that read (all but WRITE). */
    public static final List<AccessPath> READ_PATHS = List.of(AccessPath.ONLINE, AccessPath.HISTORICAL, AccessPath.HISTORICAL_SPARK,
            AccessPath.VIRTUAL_TABLE);

    private final Map<String, Long> fields;

    private AccessSummary(Map<String, Long> fields) {
        this.fields = fields;
    }

    public static AccessSummary of(Map<String, Long> fields) {
        return new AccessSummary(fields == null ? Map.of() : fields);
    }

    private long get(String field) {
        return fields.getOrDefault(field, 0L);
    }

    private static String s(Mode m) {
        return m == Mode.VIRTUALIZED ? "V" : "M";
    }

    public long accesses(AccessPath p, Mode served) {
        return get("r." + p.field() + "." + s(served));
    }

    public long accesses(AccessPath p) {
        return accesses(p, Mode.MATERIALIZED) + accesses(p, Mode.VIRTUALIZED);
    }

    /** Reads over every read path. */
    public long reads() {
        return READ_PATHS.stream().mapToLong(this::accesses).sum();
    }

    /** Reads over every read path served by this strategy. */
    public long reads(Mode served) {
        return READ_PATHS.stream().mapToLong(p -> accesses(p, served)).sum();
    }

    /**
     * The paths a strategy changes: online and point-in-time reads (a virtual table query runs the template whatever
     * serves the group, so storing it cannot make those faster).
     */
    public static final List<AccessPath> SERVED_PATHS = List.of(AccessPath.ONLINE, AccessPath.HISTORICAL, AccessPath.HISTORICAL_SPARK);

    /** Reads a strategy serves (online and point-in-time), by either strategy. */
    public long servedReads() {
        return SERVED_PATHS.stream().mapToLong(this::accesses).sum();
    }

    /** Reads a strategy serves, by this strategy. */
    public long servedReads(Mode served) {
        return SERVED_PATHS.stream().mapToLong(p -> accesses(p, served)).sum();
    }

    public long errors(AccessPath p) {
        return get("e." + p.field());
    }

    public long rows(AccessPath p) {
        return get("n." + p.field());
    }

    public long bytes(AccessPath p) {
        return get("b." + p.field());
    }

    public long cacheHits() {
        return get("ch");
    }

    public long cacheMisses() {
        return get("cm");
    }

    /** Hits over hits and misses; null when the result cache was not asked. */
    public Double cacheHitRate() {
        long total = cacheHits() + cacheMisses();
        return total == 0 ? null : (double) cacheHits() / total;
    }

    public Instant lastAccess() {
        long last = get(AccessStore.LAST);
        return last > 0 ? Instant.ofEpochMilli(last) : null;
    }

    /** Mean time of one access of the path served by this strategy, ms; null when there was none. */
    public Double meanMillis(AccessPath p, Mode served) {
        long n = accesses(p, served);
        return n == 0 ? null : get("ns." + p.field() + "." + s(served)) / 1e6 / n;
    }

    /** Mean time of one online or point-in-time read served by this strategy, ms; null when there was none. */
    public Double meanReadMillis(Mode served) {
        long n = servedReads(served);
        if (n == 0) {
            return null;
        }
        long ns = SERVED_PATHS.stream().mapToLong(p -> get("ns." + p.field() + "." + s(served))).sum();
        return ns / 1e6 / n;
    }

    /** The q-quantile (0 to 1) of the path's access time over both strategies, ms; null when there was none. */
    public Double quantile(AccessPath p, double q) {
        return quantile(p, List.of(Mode.MATERIALIZED, Mode.VIRTUALIZED), q);
    }

    /** The q-quantile (0 to 1) of the path's access time when this strategy served it, ms; null when there was none. */
    public Double quantile(AccessPath p, Mode served, double q) {
        return quantile(p, List.of(served), q);
    }

    private Double quantile(AccessPath p, List<Mode> served, double q) {
        Map<Integer, Long> buckets = new HashMap<>();
        for (Mode m : served) {
            String prefix = "l." + p.field() + "." + s(m) + ".";
            fields.forEach((f, n) -> {
                if (f.startsWith(prefix)) {
                    buckets.merge(Integer.parseInt(f.substring(prefix.length())), n, Long::sum);
                }
            });
        }
        return LatencySketch.quantile(buckets, q);
    }

    /** Accesses per path, for listing. */
    public Map<AccessPath, Long> byPath() {
        Map<AccessPath, Long> out = new EnumMap<>(AccessPath.class);
        for (AccessPath p : AccessPath.values()) {
            out.put(p, accesses(p));
        }
        return out;
    }
}
