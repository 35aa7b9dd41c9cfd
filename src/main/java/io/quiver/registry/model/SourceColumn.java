package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;

/** A column of a lake data source, as the query engine reads it. */
@Description("A column of a data source, as discovered in its files")
public record SourceColumn(
        @Description("Column name") String name,
        @Description("Type as the query engine reads it, e.g. BIGINT, DOUBLE, VARCHAR, TIMESTAMP WITH TIME ZONE") String type,
        @Description("Whether the column comes from Hive-style partition paths (name=value/) rather than the files") boolean partition) {

    public SourceColumn {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
    }
}
