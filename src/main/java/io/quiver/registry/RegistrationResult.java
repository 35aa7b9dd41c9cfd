package io.quiver.registry;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;

import io.quiver.registry.model.FeatureGroup;

/** What a registration did to each entity and group it named. */
@Description("What a registration did to each entity and group it named")
public record RegistrationResult(
        @Description("One entry per entity in the request, in order") List<EntityOutcome> entities,
        @Description("One entry per group in the request, in order") List<GroupOutcome> groups,
        @Description("One entry per feature service in the request, in order") List<ServiceOutcome> featureServices) {

    @Description("What registering did")
    public enum Action {
        @Description("Registered for the first time")
        CREATED,
        @Description("Identical to what was registered; nothing changed")
        UNCHANGED,
        @Description("Compatible change applied to the latest version in place")
        UPDATED,
        @Description("Breaking change: a new version was created; older versions stay readable")
        NEW_VERSION
    }

    @Description("Outcome for one entity")
    public record EntityOutcome(@Description("Entity name") String name, @Description("What happened") Action action) {
    }

    @Description("Outcome for one feature group")
    public record GroupOutcome(
            @Description("What happened") Action action,
            @Description("Each difference from the previous latest version, breaking ones first") List<String> changes,
            @Description("The group version as now registered") FeatureGroup group) {
    }

    @Description("Outcome for one feature service")
    public record ServiceOutcome(
            @Description("What happened") Action action,
            @Description("Each difference from the previous latest version, breaking ones first") List<String> changes,
            @Description("The service version as now registered") io.quiver.registry.model.FeatureService featureService) {
    }

    public RegistrationResult {
        entities = List.copyOf(entities);
        groups = List.copyOf(groups);
        featureServices = List.copyOf(featureServices);
    }
}
