package io.quiver.hybrid;

import org.eclipse.microprofile.graphql.Description;

import io.quiver.access.AccessPath;

/** A group's accesses through one path over a window. */
@Description("A feature group's accesses through one path over the window")
public record PathMetrics(
        @Description("The path") AccessPath path,
        @Description("Accesses that succeeded") long count,
        @Description("Of those, served from stored data (online store or snapshots)") long materialized,
        @Description("Of those, computed from lake data by the query template") long virtualized,
        @Description("Accesses that failed") long errors,
        @Description("Rows read or written (entities for online reads, entity rows for point-in-time reads)") long rows,
        @Description("Bytes scanned (point-in-time reads: the files joined; virtual tables: the answer)") long bytes,
        @Description("Median time of one access, ms (2% accuracy); null without accesses") Double p50Ms,
        @Description("95th percentile, ms") Double p95Ms,
        @Description("99th percentile, ms") Double p99Ms,
        @Description("Mean time served from stored data, ms; null without such accesses") Double meanMaterializedMs,
        @Description("Mean time computed from lake data, ms; null without such accesses") Double meanVirtualizedMs) {
}
