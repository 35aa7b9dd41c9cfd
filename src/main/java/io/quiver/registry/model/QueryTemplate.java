package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;

/**
 * How a virtual group computes its rows on demand: one read-only SELECT over registered data sources, referenced as
 * {@code {{layer.name}}}, with named parameters ({@code :name}) that are always bound. Its output columns are the
 * group's entity keys, event timestamp (and created timestamp), and features.
 *
 * @param source for a group defined by per-feature expressions, the one data source they read; null otherwise
 */
@Description("A virtual group's query: one read-only SELECT over registered data sources with bound parameters")
public record QueryTemplate(
        @Description("The SQL, with {{layer.name}} for data sources and :name for parameters") String sql,
        @Description("Declared parameters with their defaults") List<TemplateParameter> parameters,
        @Description("The data sources it reads, by name") List<String> sources,
        @Description("For groups defined by per-feature expressions: the one data source they read") String source) {

    public QueryTemplate {
        requireNonNull(sql, "sql");
        parameters = List.copyOf(parameters);
        sources = List.copyOf(sources);
    }
}
