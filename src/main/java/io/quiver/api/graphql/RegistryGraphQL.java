package io.quiver.api.graphql;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import io.smallrye.common.annotation.NonBlocking;

import io.quiver.api.graphql.Connections.FeatureConnection;
import io.quiver.api.graphql.Connections.FeatureGroupConnection;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.EffectiveSetting;
import io.quiver.error.InvalidArgumentException;
import io.quiver.registry.DeletionResult;
import io.quiver.registry.Lineage;
import io.quiver.registry.RegistrationResult;
import io.quiver.registry.RegistrationService;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.EntityDefinition;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.config.Mode;
import io.quiver.registry.spec.EntitySpec;
import io.quiver.registry.spec.FeatureFilter;
import io.quiver.registry.spec.FeatureGroupFilter;
import io.quiver.registry.spec.FeatureGroupSpec;
import io.quiver.registry.spec.FeatureServiceFilter;
import io.quiver.registry.spec.FeatureServiceSpec;
import io.quiver.registry.FeatureResolver;
import io.quiver.registry.FeatureServices;
import io.quiver.registry.model.FeatureService;
import io.quiver.registry.spec.RegistrationSpec;
import io.quiver.registry.model.GroupAction;
import io.quiver.security.Requires;
import io.quiver.security.Role;

/** GraphQL adapter for the registry: the feature catalog's queries and the pipelines' registration mutations. */
@GraphQLApi
@TranslateErrors
public class RegistryGraphQL {

    private final RegistryCatalog catalog;
    private final RegistrationService registration;
    private final EffectiveConfigResolver settings;
    private final FeatureServices services;
    private final FeatureResolver resolver;
    private final io.quiver.registry.GroupGate gate;

    public RegistryGraphQL(RegistryCatalog catalog, RegistrationService registration, EffectiveConfigResolver settings,
            FeatureServices services, FeatureResolver resolver, io.quiver.registry.GroupGate gate) {
        this.gate = gate;
        this.services = services;
        this.resolver = resolver;
        this.catalog = catalog;
        this.registration = registration;
        this.settings = settings;
    }

    @Requires(Role.READER)
    @Query("featureGroups")
    @Description("Feature groups matching the filter (latest versions unless filter.allVersions), by name, cursor-paged")
    public @NonNull FeatureGroupConnection featureGroups(
            @Description("Conditions the groups must meet") FeatureGroupFilter filter,
            @Description("Page size, 1 to quiver.registry.max-page-size") @DefaultValue("20") int first,
            @Description("Cursor after which the page starts") String after) {
        return Connections.groups(catalog.groups(filter, first, after));
    }

    @Requires(Role.READER)
    @Query("featureGroup")
    @Description("One feature group version; the latest when no version is given")
    public @NonNull FeatureGroup featureGroup(@Description("Group name") @NonNull String name,
            @Description("Version; omit for the latest") Integer version) {
        gate.check(name, GroupAction.READ);
        return catalog.group(name, version == null ? 0 : version).group();
    }

    @Requires(Role.READER)
    @Query("features")
    @Description("Features matching the filter (of latest group versions unless filter.allVersions), cursor-paged")
    public @NonNull FeatureConnection features(
            @Description("Conditions the features must meet") FeatureFilter filter,
            @Description("Page size, 1 to quiver.registry.max-page-size") @DefaultValue("20") int first,
            @Description("Cursor after which the page starts") String after) {
        return Connections.features(catalog.features(filter, first, after));
    }

    @Requires(Role.READER)
    @Query("entities")
    @Description("Every registered entity, by name")
    public @NonNull List<@NonNull EntityDefinition> entities() {
        return catalog.entities();
    }

    @Requires(Role.READER)
    @Query("lineage")
    @Description("Lineage around a feature (group.feature, group@2.feature) or a dataset (silver.transactions); give exactly one")
    public @NonNull Lineage lineage(@Description("Feature reference") String feature,
            @Description("Dataset name") String dataset) {
        if ((feature == null) == (dataset == null)) {
            throw new InvalidArgumentException("lineage needs exactly one of 'feature' or 'dataset'");
        }
        return feature != null ? catalog.lineageOfFeature(feature) : catalog.lineageOfDataset(dataset);
    }

    @Requires(Role.ADMIN)
    @Mutation("register")
    @Description("Registers entities and feature groups in one transaction. Identical definitions are left as they are, "
            + "compatible changes update the latest version, breaking changes create the next version. Any violation "
            + "rejects the whole request with every violation listed.")
    public @NonNull RegistrationResult register(@Description("Entities to register") List<EntitySpec> entities,
            @Description("Feature groups to register") List<FeatureGroupSpec> groups,
            @Description("Feature services to register (after the groups, which they may name)") List<FeatureServiceSpec> featureServices) {
        return registration.register(new RegistrationSpec(entities, groups, featureServices));
    }

    @Requires(Role.READER)
    @Query("featureServices")
    @Description("Feature services matching the filter (latest versions unless filter.allVersions), by name then version")
    public @NonNull List<@NonNull FeatureService> featureServices(
            @Description("Conditions the services must meet") FeatureServiceFilter filter,
            @Description("Page size, 1 to quiver.registry.max-page-size") @DefaultValue("20") int first,
            @Description("The label (name@version) of the last service of the previous page") String after) {
        catalog.checkPageSize(first);
        // a service shows the features of its groups: listed only for callers who may read them all, pages filled from further on
        java.util.Set<String> readable = gate.readable().orElse(null);
        if (readable == null) {
            return services.list(filter, first, after);
        }
        List<FeatureService> out = new java.util.ArrayList<>();
        String from = after;
        for (int round = 0; round < 50 && out.size() < first; round++) {
            List<FeatureService> page = services.list(filter, first, from);
            page.stream().filter(s -> s.refs().stream().allMatch(r -> readable.contains(r.group()))).limit(first - out.size()).forEach(out::add);
            if (page.size() < first) {
                break;
            }
            from = page.get(page.size() - 1).label();
        }
        return out;
    }

    @Requires(Role.READER)
    @Query("featureService")
    @Description("One feature service version; the latest when no version is given")
    public @NonNull FeatureService featureService(@Description("Service name") @NonNull String name,
            @Description("Version; omit for the latest") Integer version) {
        FeatureService service = services.get(name, version == null ? 0 : version);
        service.refs().forEach(r -> gate.check(r.group(), GroupAction.READ));
        return service;
    }

    @Requires(Role.ADMIN)
    @Mutation("deleteFeatureService")
    @Description("Deletes a feature service version (or all versions); returns the versions deleted")
    public @NonNull List<@NonNull Integer> deleteFeatureService(@Description("Service name") @NonNull String name,
            @Description("Version; omit for all versions") Integer version) {
        return registration.deleteService(name, version);
    }

    @Name("features")
    @Description("The features the service version needs now, in its order: whole groups expanded into their features, "
            + "latest-following entries resolved to the group's current version (lineage: which features a service needs)")
    public List<@NonNull Feature> serviceFeatures(@Source FeatureService service) {
        return services.expand(service.label()).references().stream().map(r -> resolver.resolve(r).feature()).toList();
    }

    @Requires(Role.ADMIN)
    @Mutation("deprecateFeatureGroup")
    @Description("Marks a group version (or all versions) DEPRECATED; they stay readable")
    public @NonNull List<@NonNull FeatureGroup> deprecateFeatureGroup(@Description("Group name") @NonNull String name,
            @Description("Version; omit for all versions") Integer version) {
        return registration.deprecate(name, version);
    }

    @Requires(Role.ADMIN)
    @Mutation("deleteFeatureGroup")
    @Description("Deletes a group version (or all versions). Refuses while other groups' features list it as a lineage "
            + "source, unless force is true.")
    public @NonNull DeletionResult deleteFeatureGroup(@Description("Group name") @NonNull String name,
            @Description("Version; omit for all versions") Integer version,
            @Description("Delete even if other features name it as a source") @DefaultValue("false") boolean force) {
        return registration.delete(name, version, force);
    }

    // Nested fields, resolved for a whole list of parents at once.

    @Name("features")
    @Description("The group version's features, in declared order")
    public List<List<Feature>> groupFeatures(@Source List<FeatureGroup> groups) {
        Map<Long, List<Feature>> byGroup = catalog.features(groups);
        return groups.stream().map(g -> byGroup.getOrDefault(g.id(), List.of())).toList();
    }

    @Name("entities")
    @Description("The entities keying the group")
    public List<List<EntityDefinition>> groupEntities(@Source List<FeatureGroup> groups) {
        Map<String, EntityDefinition> byName = catalog.entities(groups.stream().flatMap(g -> g.entityNames().stream()).distinct().toList());
        return groups.stream().map(g -> g.entityNames().stream().map(byName::get).filter(java.util.Objects::nonNull).toList()).toList();
    }

    @Name("versions")
    @Description("Every registered version of this group")
    public List<List<Integer>> groupVersions(@Source List<FeatureGroup> groups) {
        Map<String, List<Integer>> byName = catalog.versions(groups.stream().map(FeatureGroup::name).distinct().toList());
        return groups.stream().map(g -> byName.getOrDefault(g.name(), List.of())).toList();
    }

    // Computed without I/O: batched and non-blocking, so a long list costs one call on the event loop rather than
    // one worker-thread dispatch per item.

    @Name("mode")
    @NonBlocking
    @Description("Effective serving mode: the group's own, else the global quiver.mode")
    public List<Mode> groupMode(@Source List<FeatureGroup> groups) {
        return groups.stream().map(settings::mode).toList();
    }

    @Name("servedAs")
    @Description("How the group is served now: VIRTUALIZED groups by their query template; HYBRID groups with a template as the "
            + "hybrid selector decided (strategy says why); everything else from stored data")
    public List<Mode> groupServedAs(@Source List<FeatureGroup> groups) {
        return groups.stream().map(settings::servedAs).toList();
    }

    @Name("effectiveConfig")
    @NonBlocking
    @Description("Every setting as resolved for this group, with the layer it came from")
    public List<List<EffectiveSetting>> groupEffectiveConfig(@Source List<FeatureGroup> groups) {
        return groups.stream().map(settings::forGroup).toList();
    }

    @Name("effectiveConfig")
    @Description("Every setting as resolved for this feature (global -> group -> feature), with the layer it came from")
    public List<List<EffectiveSetting>> featureEffectiveConfig(@Source List<Feature> features) {
        Map<Long, FeatureGroup> groups = catalog.groupsByIds(features.stream().map(Feature::groupId).distinct().toList())
                .stream().collect(Collectors.toMap(FeatureGroup::id, Function.identity()));
        return features.stream().map(f -> settings.forFeature(groups.get(f.groupId()), f.configOverrides())).toList();
    }
}
