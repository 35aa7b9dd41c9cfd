package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("FeatureServiceInput")
@Description("A feature service to register: the features a model is trained and served with, by name")
public record FeatureServiceSpec(
        @Description("Service name, matching [a-z][a-z0-9_]{0,62}") String name,
        @Description("What the service is for") String description,
        @Description("Who owns it") String owner,
        @Description("Tags") List<String> tags,
        @Description("Entries in order: group (all its features), group.feature, or pinned: group@2, group@2.feature; at least one")
        List<String> features) {
}
