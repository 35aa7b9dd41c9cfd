package io.quiver.registry.spec;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("SettingInput")
@Description("A setting override, e.g. {key: \"hybrid_threshold_rows\", value: \"5000\"}")
public record SettingSpec(
        @Description("Setting name as in the seeds (hybrid_threshold_rows, enable_virtualization, ...)") String key,
        @Description("Value as text; checked against the setting's type") String value) {
}
