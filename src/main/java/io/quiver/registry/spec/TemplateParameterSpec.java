package io.quiver.registry.spec;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

/** A query template parameter as declared at registration. */
@Input("TemplateParameterInput")
@Description("A named parameter of a query template, e.g. {name: \"min_amount\", type: \"DOUBLE\", defaultValue: \"10\"}")
public record TemplateParameterSpec(
        @Description("Name, as written after ':' in the template") String name,
        @Description("Scalar type: INT, BIGINT, DOUBLE, DECIMAL(p,s), STRING, BOOLEAN, TIMESTAMP or DATE") String type,
        @Description("Value used when a read gives none") String defaultValue) {
}
