package io.quiver.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.quiver.config.Mode;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts every access of every group in this process, per group and minute, and flushes the counts into the
 * {@link AccessStore} every {@code quiver.access.flush-interval}. Recording is a few atomic increments (no I/O, no
 * lock held across calls), so it neither slows nor fails a read; a flush that fails (Redis down) drops its counts and
 * counts the drop ({@code quiver.access.dropped}). Memory is bounded by the groups accessed in the last two minutes.
 *
 * <p>Fields of a bucket: {@code r.<path>.<M|V>} accesses by path and strategy served, {@code e.<path>} failures,
 * {@code n.<path>} rows, {@code b.<path>} bytes scanned or written, {@code ns.<path>.<M|V>} total time in
 * nanoseconds, {@code l.<path>.<M|V>.<bucket>} the latency sketch ({@link LatencySketch}), {@code ch}/{@code cm}
 * result cache hits and misses, {@link AccessStore#LAST} the latest access.
 */
@ApplicationScoped
public class AccessRecorder {

    private static final Logger LOG = Logger.getLogger(AccessRecorder.class);

    private record Bucket(String group, long minute) {
    }

    private static final class Counts {
        final Map<String, AtomicLong> fields = new ConcurrentHashMap<>();
        final AtomicLong last = new AtomicLong();

        void add(String field, long n) {
            fields.computeIfAbsent(field, f -> new AtomicLong()).addAndGet(n);
        }
    }

    private final Map<Bucket, Counts> pending = new ConcurrentHashMap<>();
    private final AccessStore store;
    private final Counter dropped;
    private final Counter flushFailures;
    private final Object flushing = new Object();
    private final MeterRegistry metrics;
    private final Map<String, io.micrometer.core.instrument.Timer> timers = new ConcurrentHashMap<>();

    public AccessRecorder(AccessStore store, MeterRegistry metrics) {
        this.store = store;
        this.metrics = metrics;
        this.dropped = Counter.builder("quiver.access.dropped")
                .description("Access metric updates dropped because the access metrics store could not be reached").register(metrics);
        this.flushFailures = Counter.builder("quiver.access.flush.failures")
                .description("Flushes of access metrics that failed (their counts are dropped)").register(metrics);
    }

    /** One completed access: how long it took, how many rows and bytes it touched, and which strategy served it. */
    public void access(String group, AccessPath path, Mode served, long nanos, long rows, long bytes) {
        try {
            Counts c = counts(group);
            String p = path.field();
            String s = served == Mode.VIRTUALIZED ? "V" : "M";
            c.add("r." + p + "." + s, 1);
            c.add("ns." + p + "." + s, Math.max(0, nanos));
            c.add("l." + p + "." + s + "." + LatencySketch.bucket(nanos), 1);
            timers.computeIfAbsent(group + "/" + p + "/" + s, k -> io.micrometer.core.instrument.Timer.builder("quiver.access")
                    .description("Reads and writes of feature groups, by group, path and strategy served").tag("group", group)
                    .tag("path", path.name()).tag("strategy", served == Mode.VIRTUALIZED ? "VIRTUALIZED" : "MATERIALIZED").register(metrics))
                    .record(Math.max(0, nanos), java.util.concurrent.TimeUnit.NANOSECONDS);
            if (rows > 0) {
                c.add("n." + p, rows);
            }
            if (bytes > 0) {
                c.add("b." + p, bytes);
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "access of %s not recorded", group);
        }
    }

    /** One failed access (its error reached the caller). */
    public void failure(String group, AccessPath path) {
        try {
            counts(group).add("e." + path.field(), 1);
            Counter.builder("quiver.access.errors").description("Failed reads and writes of feature groups, by group and path")
                    .tag("group", group).tag("path", path.name()).register(metrics).increment();
        } catch (RuntimeException e) {
            LOG.debugf(e, "failure of %s not recorded", group);
        }
    }

    /** A virtual read answered from the result cache (hit) or computed (miss). */
    public void cache(String group, boolean hit) {
        try {
            counts(group).add(hit ? "ch" : "cm", 1);
        } catch (RuntimeException e) {
            LOG.debugf(e, "cache access of %s not recorded", group);
        }
    }

    private Counts counts(String group) {
        long now = System.currentTimeMillis();
        Counts c = pending.computeIfAbsent(new Bucket(group, now / 60_000), b -> new Counts());
        c.last.accumulateAndGet(now, Math::max);
        return c;
    }

    /** Sends what was counted since the last flush to the store (scheduled; also before a window is read). */
    @Scheduled(every = "${quiver.access.flush-interval:PT1S}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void flush() {
        synchronized (flushing) {
            long minute = System.currentTimeMillis() / 60_000;
            List<AccessStore.Delta> deltas = new ArrayList<>();
            long updates = 0;
            for (Map.Entry<Bucket, Counts> e : pending.entrySet()) {
                if (e.getKey().minute() < minute - 1) {
                    // no recording thread writes into a bucket this old any more; drain it one last time
                    pending.remove(e.getKey());
                }
                Map<String, Long> counts = new HashMap<>();
                e.getValue().fields.forEach((field, n) -> {
                    long v = n.getAndSet(0);
                    if (v != 0) {
                        counts.put(field, v);
                    }
                });
                long last = e.getValue().last.getAndSet(0);
                if (!counts.isEmpty() || last > 0) {
                    deltas.add(new AccessStore.Delta(e.getKey().group(), e.getKey().minute(), counts, last));
                    updates += counts.size();
                }
            }
            if (deltas.isEmpty()) {
                return;
            }
            try {
                store.add(deltas);
            } catch (RuntimeException e) {
                flushFailures.increment();
                dropped.increment(updates);
                LOG.warnf("access metrics dropped (%d counters of %d groups): %s", updates, deltas.size(), e.getMessage());
            }
        }
    }

    /** The store the counts go to (read by the access metrics queries). */
    public AccessStore store() {
        return store;
    }

    @PreDestroy
    void stop() {
        flush();
    }
}
