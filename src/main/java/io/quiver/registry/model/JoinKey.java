package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;

/** A column that identifies an entity, with its value type. */
@Description("A column that identifies an entity, with its value type")
public record JoinKey(
        @Description("Column name, e.g. customer_id") String name,
        @Description("Value type: INT, BIGINT or STRING") DataType valueType) {

    public JoinKey {
        requireNonNull(name, "name");
        requireNonNull(valueType, "valueType");
    }
}
