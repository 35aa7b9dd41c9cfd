package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;

/** A named parameter of a query template ({@code :min_amount}), bound as a value, never spliced into the SQL. */
@Description("A named parameter of a query template, e.g. :min_amount; always bound, never spliced into the SQL")
public record TemplateParameter(
        @Description("Name, as written after ':' in the template") String name,
        @Description("Scalar type: INT, BIGINT, DOUBLE, DECIMAL(p,s), STRING, BOOLEAN, TIMESTAMP or DATE") String type,
        @Description("Value used when a read gives none (normalized text)") String defaultValue) {

    public TemplateParameter {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
    }
}
