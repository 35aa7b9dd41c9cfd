package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("RegistrationInput")
@Description("Entities and feature groups registered together, in one transaction: all or nothing")
public record RegistrationSpec(
        @Description("Entities to register or update") List<EntitySpec> entities,
        @Description("Feature groups to register, update or version") List<FeatureGroupSpec> groups,
        @Description("Feature services to register, update or version (after the groups, which they may name)")
        List<FeatureServiceSpec> featureServices) {

    public RegistrationSpec(List<EntitySpec> entities, List<FeatureGroupSpec> groups) {
        this(entities, groups, null);
    }

    public List<FeatureServiceSpec> featureServicesOrEmpty() {
        return featureServices == null ? List.of() : featureServices;
    }

    public List<EntitySpec> entitiesOrEmpty() {
        return entities == null ? List.of() : entities;
    }

    public List<FeatureGroupSpec> groupsOrEmpty() {
        return groups == null ? List.of() : groups;
    }
}
