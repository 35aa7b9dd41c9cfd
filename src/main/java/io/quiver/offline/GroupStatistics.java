package io.quiver.offline;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;

@Description("Statistics of a group version's offline data, as of the snapshot they were computed from")
public record GroupStatistics(
        @Description("Snapshot the statistics describe; null when no data had been written") Long snapshotId,
        @Description("Rows stored: the row estimate serving decisions use") long rowCount,
        @Description("Per feature, in declared order") List<FeatureStatistics> features,
        @Description("When refreshFeatures computed them") Instant computedAt) {

    public GroupStatistics {
        features = List.copyOf(features);
    }
}
