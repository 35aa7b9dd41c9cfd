package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("RegistrationInput")
@Description("Entities and feature groups registered together, in one transaction: all or nothing")
public record RegistrationSpec(
        @Description("Entities to register or update") List<EntitySpec> entities,
        @Description("Feature groups to register, update or version") List<FeatureGroupSpec> groups) {

    public List<EntitySpec> entitiesOrEmpty() {
        return entities == null ? List.of() : entities;
    }

    public List<FeatureGroupSpec> groupsOrEmpty() {
        return groups == null ? List.of() : groups;
    }
}
