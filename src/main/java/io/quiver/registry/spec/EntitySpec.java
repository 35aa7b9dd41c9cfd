package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("EntityInput")
@Description("An entity to register: a business object identified by its join keys")
public record EntitySpec(
        @Description("Entity name, matching [a-z][a-z0-9_]{0,62}") String name,
        @Description("Columns that identify one instance; at least one") List<JoinKeySpec> joinKeys,
        @Description("What the entity is") String description) {
}
