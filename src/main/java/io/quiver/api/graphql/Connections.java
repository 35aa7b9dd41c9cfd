package io.quiver.api.graphql;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;

import io.quiver.registry.Page;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;

/** Relay-style connection types for the paged listings. */
final class Connections {

    private Connections() {
    }

    @Description("Paging state of a listing")
    public record PageInfo(
            @Description("Whether more items follow; pass endCursor as 'after' to get them") boolean hasNextPage,
            @Description("Cursor of the last item on this page") String endCursor) {
    }

    @Description("A feature group with its cursor")
    public record FeatureGroupEdge(@Description("Cursor of this item") String cursor, @Description("The group") FeatureGroup node) {
    }

    @Description("A page of feature groups")
    public record FeatureGroupConnection(
            @Description("How many groups match the filter, over all pages") long totalCount,
            @Description("The groups on this page, with cursors") List<FeatureGroupEdge> edges,
            @Description("The groups on this page") List<FeatureGroup> nodes,
            @Description("Paging state") PageInfo pageInfo) {
    }

    @Description("A feature with its cursor")
    public record FeatureEdge(@Description("Cursor of this item") String cursor, @Description("The feature") Feature node) {
    }

    @Description("A page of features")
    public record FeatureConnection(
            @Description("How many features match the filter, over all pages") long totalCount,
            @Description("The features on this page, with cursors") List<FeatureEdge> edges,
            @Description("The features on this page") List<Feature> nodes,
            @Description("Paging state") PageInfo pageInfo) {
    }

    static FeatureGroupConnection groups(Page<FeatureGroup> page) {
        List<FeatureGroupEdge> edges = new ArrayList<>();
        for (int i = 0; i < page.items().size(); i++) {
            edges.add(new FeatureGroupEdge(page.cursors().get(i), page.items().get(i)));
        }
        return new FeatureGroupConnection(page.totalCount(), edges, page.items(), new PageInfo(page.hasNextPage(), page.endCursor()));
    }

    static FeatureConnection features(Page<Feature> page) {
        List<FeatureEdge> edges = new ArrayList<>();
        for (int i = 0; i < page.items().size(); i++) {
            edges.add(new FeatureEdge(page.cursors().get(i), page.items().get(i)));
        }
        return new FeatureConnection(page.totalCount(), edges, page.items(), new PageInfo(page.hasNextPage(), page.endCursor()));
    }
}
