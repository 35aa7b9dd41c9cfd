package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureType;

@Input("FeatureFilter")
@Description("Narrows a feature listing; all given conditions must hold")
public record FeatureFilter(
        @Description("Case-insensitive text found in the feature's name or description") String search,
        @Description("Features of this group") String group,
        @Description("Base data type") DataType dataType,
        @Description("Semantic kind") FeatureType featureType,
        @Description("Features carrying every one of these tags") List<String> tags,
        @Description("Include features of older group versions too; default false") Boolean allVersions) {

    public static final FeatureFilter NONE = new FeatureFilter(null, null, null, null, null, null);
}
