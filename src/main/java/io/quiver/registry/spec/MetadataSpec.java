package io.quiver.registry.spec;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("MetadataInput")
@Description("A free-form metadata entry")
public record MetadataSpec(@Description("Entry key") String key, @Description("Entry value") String value) {
}
