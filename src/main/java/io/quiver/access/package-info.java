/**
 * Access metrics (issue: hybrid selector): the counters and latency sketches, and where they are kept. Not wired into
 * any read or write path yet.
 *
 * <p>Plan: an {@code AccessRecorder} (application scoped) accumulates per group and minute in memory (LongAdders:
 * reads by path and strategy served, errors, rows, bytes, result-cache hits and misses, latency buckets of
 * {@link io.quiver.access.LatencySketch}, the latest access) and flushes every {@code quiver.access.flush-interval}
 * into an {@link io.quiver.access.AccessStore} (in memory for the MEMORY online store, Redis otherwise); a failed
 * flush drops its counts and counts the drop (a Micrometer counter), reads never wait for it. Windows: minute buckets
 * for LAST_HOUR, hour buckets for LAST_DAY and LAST_WEEK. The package sits in the storage layer (below offline,
 * online and virtual, which record into it). A shared contract test runs against both stores. The hybrid package
 * (serving layer) then owns the strategy state and history tables, the cost model (pure, unit-tested), the
 * evaluator (one replica at a time through a lease row), forceStrategy and recommendations, and implements a
 * registry SPI that {@code EffectiveConfigResolver.servedAs} asks for HYBRID groups.
 */
package io.quiver.access;
