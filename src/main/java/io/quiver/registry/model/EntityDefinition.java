package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;

/** A business object features describe (customer, transaction), identified by its join keys. */
@Name("Entity")
@Description("A business object features describe (customer, transaction), identified by its join keys")
public record EntityDefinition(
        @Description("Entity name") String name,
        @Description("Columns that identify one instance, in order") List<JoinKey> joinKeys,
        @Description("What the entity is") String description,
        @Description("When the entity was registered") Instant createdAt,
        @Description("When the entity was last changed") Instant updatedAt) {

    public EntityDefinition {
        requireNonNull(name, "name");
        joinKeys = List.copyOf(joinKeys);
        requireNonNull(createdAt, "createdAt");
        requireNonNull(updatedAt, "updatedAt");
    }
}
