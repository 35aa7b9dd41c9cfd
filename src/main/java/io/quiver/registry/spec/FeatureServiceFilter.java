package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("FeatureServiceFilter")
@Description("Narrows a feature service listing; all given conditions must hold")
public record FeatureServiceFilter(
        @Description("Case-insensitive text found in the service's name, description or owner") String search,
        @Description("Services carrying every one of these tags") List<String> tags,
        @Description("Exact owner") String owner,
        @Description("Services whose entries cover this feature (group.feature or group@2.feature)") String feature,
        @Description("Include older versions too; default false (latest versions only)") Boolean allVersions) {
}
