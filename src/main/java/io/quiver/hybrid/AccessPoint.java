package io.quiver.hybrid;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;

/** One bucket of a group's access metrics: a minute in the last hour, an hour in the last day or week. */
@Description("One bucket of a feature group's access metrics (all versions): a minute of the last hour, or an hour of the last day or week")
public record AccessPoint(
        @Description("When the bucket starts") Instant from,
        @Description("Reads that succeeded (online, historical and virtual-table paths)") long reads,
        @Description("Of those, served from stored data") long readsMaterialized,
        @Description("Of those, computed from lake data") long readsVirtualized,
        @Description("Writes that succeeded") long writes,
        @Description("Accesses that failed") long errors,
        @Description("Result cache hits") long cacheHits,
        @Description("Result cache misses") long cacheMisses,
        @Description("Per path: counts and latency percentiles within the bucket") List<PathMetrics> paths) {
}
