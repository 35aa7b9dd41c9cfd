package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import io.quiver.registry.model.GroupStatus;
import io.quiver.config.Mode;

@Input("FeatureGroupFilter")
@Description("Narrows a feature group listing; all given conditions must hold")
public record FeatureGroupFilter(
        @Description("Case-insensitive text found in the group's name, description or owner, or in one of its feature names")
        String search,
        @Description("Groups carrying every one of these tags") List<String> tags,
        @Description("Exact owner") String owner,
        @Description("Effective serving mode") Mode mode,
        @Description("Groups keyed by this entity") String entity,
        @Description("Lifecycle state") GroupStatus status,
        @Description("Include older versions too; default false (latest versions only)") Boolean allVersions) {

    public static final FeatureGroupFilter NONE = new FeatureGroupFilter(null, null, null, null, null, null, null);
}
