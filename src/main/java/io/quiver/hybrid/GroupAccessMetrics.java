package io.quiver.hybrid;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;

import io.quiver.access.AccessWindow;
import io.quiver.config.Mode;

/** What was measured of a group over a window, and what it stores. */
@Description("Access metrics of a feature group (all its versions) over a window, with what its latest version stores")
public record GroupAccessMetrics(
        @Description("Group name") String group,
        @Description("Latest version") int version,
        @Description("The window") AccessWindow window,
        @Description("Start of the window (its first bucket)") Instant from,
        @Description("End of the window (now)") Instant to,
        @Description("Successful reads over all read paths") long reads,
        @Description("Reads per hour over the window") double readsPerHour,
        @Description("Reads served from stored data") long readsMaterialized,
        @Description("Reads computed from lake data") long readsVirtualized,
        @Description("Successful writes") long writes,
        @Description("Failed accesses over all paths") long errors,
        @Description("Virtual reads answered from the result cache") long cacheHits,
        @Description("Virtual reads computed") long cacheMisses,
        @Description("cacheHits / (cacheHits + cacheMisses); null when the result cache was not asked") Double cacheHitRate,
        @Description("Latest access by any path; null when none in the window") Instant lastAccess,
        @Description("Per path") List<PathMetrics> paths,
        @Description("Rows: the current snapshot's, else the sum of its data sources' estimates; null when unknown") Long estimatedRows,
        @Description("Bytes of the current snapshot's files in the object store (0 without a snapshot)") long bytesOffline,
        @Description("Bytes of the latest version's records in the online store (keys and values, as counted by its writes); "
                + "null when the online store could not be asked") Long bytesOnline,
        @Description("Latest event time of the stored data; null without a snapshot") Instant latestEventTime,
        @Description("Seconds from latestEventTime to now: how old the newest stored value is; null without a snapshot") Double freshnessSeconds,
        @Description("How the latest version is served now") Mode servedAs) {
}
