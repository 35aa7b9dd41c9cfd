package io.quiver.registry;

import org.eclipse.microprofile.graphql.Description;

import java.util.List;

/** Lineage around one node: its sources (upstream) and what is derived from it (downstream). */
@Description("Lineage around a feature or dataset: what it is computed from and what is computed from it")
public record Lineage(
        @Description("The node asked about: group@version.feature, or a dataset name") String node,
        @Description("FEATURE or DATASET") NodeKind kind,
        @Description("Features this feature is computed from, as declared (group.feature)") List<String> upstreamFeatures,
        @Description("Datasets this feature is computed from") List<String> upstreamDatasets,
        @Description("Features computed from this node, as group@version.feature") List<String> downstreamFeatures,
        @Description("Feature services (latest versions, as name@version) whose entries cover this feature") List<String> featureServices) {

    @Description("Kind of lineage node")
    public enum NodeKind {
        @Description("A registered feature")
        FEATURE,
        @Description("A lake dataset such as silver.transactions")
        DATASET
    }

    public Lineage {
        upstreamFeatures = List.copyOf(upstreamFeatures);
        upstreamDatasets = List.copyOf(upstreamDatasets);
        downstreamFeatures = List.copyOf(downstreamFeatures);
        featureServices = List.copyOf(featureServices);
    }
}
