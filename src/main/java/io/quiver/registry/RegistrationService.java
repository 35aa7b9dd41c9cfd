package io.quiver.registry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.logging.Logger;

import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.validation.TemplateCheck;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.Map;
import io.quiver.error.Violation;
import io.quiver.registry.RegistrationResult.Action;
import io.quiver.registry.RegistrationResult.EntityOutcome;
import io.quiver.registry.RegistrationResult.GroupOutcome;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.EntityDefinition;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.persistence.LineageSource;
import io.quiver.registry.persistence.RegistryRepository;
import io.quiver.registry.spec.RegistrationSpec;
import io.quiver.registry.validation.DefinitionValidator;
import io.quiver.registry.validation.RegistryView;
import io.quiver.registry.validation.ValidatedRegistration;
import io.quiver.registry.validation.ValidatedRegistration.EntityDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.Map;
import io.quiver.registry.model.ConfigKey;
import io.quiver.config.Mode;

/**
 * Write side of the registry. Each call is one transaction: a registration with any violation writes nothing.
 * Work on a name is serialized by a row lock, so concurrent registrations of one group never create duplicate
 * versions (see docs/architecture.md, "Versioning").
 */
@ApplicationScoped
public class RegistrationService {

    private static final Logger LOG = Logger.getLogger(RegistrationService.class);

    private final RegistryRepository repository;
    private final RegistryCatalog catalog;
    private final QuiverConfig config;
    private final Event<RegistryChanged> changed;
    private final Event<GroupVersionsDeleted> deleted;
    private final Instance<TemplateCheck> templateChecks;
    private final FeatureServices services;

    public RegistrationService(RegistryRepository repository, RegistryCatalog catalog, QuiverConfig config,
            Event<RegistryChanged> changed, Event<GroupVersionsDeleted> deleted, Instance<TemplateCheck> templateChecks,
            FeatureServices services, io.quiver.audit.AuditLog audit) {
        this.audit = audit;
        this.services = services;
        this.templateChecks = templateChecks;
        this.repository = repository;
        this.catalog = catalog;
        this.config = config;
        this.changed = changed;
        this.deleted = deleted;
    }

    private final io.quiver.audit.AuditLog audit;

    @Transactional
    public RegistrationResult register(RegistrationSpec spec) {
        lockNames(spec);
        ValidatedRegistration valid = DefinitionValidator.validate(spec, view());
        checkTemplates(valid);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

        List<EntityOutcome> entities = new ArrayList<>();
        List<Violation> conflicts = new ArrayList<>();
        for (int i = 0; i < valid.entities().size(); i++) {
            entities.add(registerEntity("entities[" + i + "]", valid.entities().get(i), now, conflicts));
        }
        if (!conflicts.isEmpty()) {
            throw new QuiverException(ErrorCode.CONFLICT, "The registration conflicts with registered entities; nothing "
                    + "was written. " + conflicts.get(0), conflicts, null);
        }
        repository.flush();

        List<GroupOutcome> groups = new ArrayList<>();
        Set<String> touched = new LinkedHashSet<>();
        for (GroupDraft draft : valid.groups()) {
            GroupOutcome outcome = registerGroup(draft, now);
            groups.add(outcome);
            if (outcome.action() != Action.UNCHANGED) {
                touched.add(draft.name());
            }
        }
        List<RegistrationResult.ServiceOutcome> serviceOutcomes = List.of();
        if (!spec.featureServicesOrEmpty().isEmpty()) {
            repository.flush(); // the services' checks read the groups this request registered
            serviceOutcomes = services.register(services.validate(spec.featureServicesOrEmpty()), now);
        }
        Set<String> changedNames = new LinkedHashSet<>(touched);
        serviceOutcomes.stream().filter(o -> o.action() != Action.UNCHANGED)
                .forEach(o -> changedNames.add(FeatureServices.CACHE_PREFIX + o.featureService().name()));
        if (!changedNames.isEmpty()) {
            changed.fire(new RegistryChanged(changedNames));
        }
        if (!changedNames.isEmpty() || entities.stream().anyMatch(e -> e.action() != Action.UNCHANGED)) {
            LOG.infof("registration changed %s", changedNames.size() <= 10 ? changedNames : changedNames.size() + " groups and services");
            List<String> what = new ArrayList<>();
            entities.stream().filter(e -> e.action() != Action.UNCHANGED).forEach(e -> what.add("entity " + e.name() + " " + e.action()));
            groups.stream().filter(o -> o.action() != Action.UNCHANGED)
                    .forEach(o -> what.add("group " + o.group().name() + "@" + o.group().version() + " " + o.action()));
            serviceOutcomes.stream().filter(o -> o.action() != Action.UNCHANGED)
                    .forEach(o -> what.add("service " + o.featureService().name() + "@" + o.featureService().version() + " " + o.action()));
            audit.changed("REGISTER", String.join(", ", changedNames), String.join("; ", what));
        }
        return new RegistrationResult(entities, groups, serviceOutcomes);
    }

    /** Marks one version (or every version, when {@code version} is null) DEPRECATED. */
    @Transactional
    public List<FeatureGroup> deprecate(String name, Integer version) {
        repository.lock("group:" + name);
        List<Integer> versions = versionsFor(name, version).stream().map(FeatureGroup::version).toList();
        List<FeatureGroup> deprecated = repository.deprecate(name, versions, Instant.now().truncatedTo(ChronoUnit.MICROS));
        changed.fire(new RegistryChanged(Set.of(name)));
        audit.changed("DEPRECATE_GROUP", name, "versions " + versions + " deprecated");
        return deprecated;
    }

    /**
     * Deletes one version (or all, when {@code version} is null), with its offline data once the deletion commits
     * (see {@code DeletedGroupCleaner}). Refuses, unless {@code force}, when features of
     * other groups name a feature that would no longer resolve as a lineage source.
     */
    @Transactional
    public DeletionResult delete(String name, Integer version, boolean force) {
        repository.lock("group:" + name);
        List<FeatureGroup> doomed = versionsFor(name, version);
        List<FeatureGroup> remaining = new ArrayList<>(repository.groupVersions(name));
        remaining.removeIf(r -> doomed.stream().anyMatch(d -> d.id() == r.id()));
        FeatureGroup newLatest = remaining.isEmpty() ? null : remaining.get(remaining.size() - 1);

        if (!force) {
            List<String> dependents = dependents(name, doomed, newLatest);
            if (!dependents.isEmpty()) {
                throw new QuiverException(ErrorCode.FEATURE_GROUP_IN_USE, "feature group '" + name + "' is a lineage "
                        + "source of " + dependents + "; delete or re-register those first, or pass force: true to delete anyway");
            }
            boolean latestDoomed = doomed.stream().anyMatch(FeatureGroup::latest);
            Set<String> newLatestFeatures = newLatest == null ? null : new java.util.HashSet<>(
                    repository.schemasOf(List.of(newLatest)).get(0).byName().keySet());
            List<String> serving = services.naming(name, doomed.stream().map(FeatureGroup::version).toList(), latestDoomed, newLatestFeatures);
            if (!serving.isEmpty()) {
                throw new QuiverException(ErrorCode.FEATURE_GROUP_IN_USE, "feature group '" + name + "' is listed by the feature "
                        + "services " + serving + "; re-register or delete them first, or pass force: true to delete anyway");
            }
        }
        List<FeatureGroup> ordered = doomed.stream().sorted(java.util.Comparator.comparingInt(FeatureGroup::version)).toList();
        List<Integer> versions = ordered.stream().map(FeatureGroup::version).toList();
        repository.deleteVersions(name, versions, newLatest == null ? null : newLatest.version());
        changed.fire(new RegistryChanged(Set.of(name)));
        deleted.fire(new GroupVersionsDeleted(name, versions, ordered.stream().map(FeatureGroup::id).toList(),
                ordered.stream().map(FeatureGroup::dataPrefix).toList()));
        LOG.infof("deleted feature group %s versions %s", name, versions);
        audit.changed("DELETE_GROUP", name, "versions " + versions + " deleted" + (force ? " (forced)" : ""));
        return new DeletionResult(name, versions, newLatest == null ? null : newLatest.version());
    }

    /** Deletes one version of a feature service, or every version ({@code version} null). */
    @Transactional
    public List<Integer> deleteService(String name, Integer version) {
        repository.lock("service:" + name);
        List<Integer> deleted = services.delete(name, version);
        changed.fire(new RegistryChanged(Set.of(FeatureServices.CACHE_PREFIX + name)));
        LOG.infof("deleted feature service %s versions %s", name, deleted);
        audit.changed("DELETE_FEATURE_SERVICE", name, "versions " + deleted + " deleted");
        return deleted;
    }

    private List<String> dependents(String name, List<FeatureGroup> doomed, FeatureGroup newLatest) {
        List<GroupSchema> schemas = repository.schemasOf(doomed);
        Set<String> dangling = new TreeSet<>();
        Set<String> survivors = new TreeSet<>();
        if (newLatest != null) {
            repository.schemasOf(List.of(newLatest)).get(0).features().forEach(f -> survivors.add(f.name()));
        }
        for (GroupSchema s : schemas) {
            for (Feature f : s.features()) {
                dangling.add(name + "@" + s.group().version() + "." + f.name());
                if (s.group().latest() && !survivors.contains(f.name())) {
                    dangling.add(name + "." + f.name());
                }
            }
        }
        return repository.downstream(LineageSource.Kind.FEATURE, dangling).stream()
                .filter(f -> !f.group().equals(name))
                .map(f -> f.group() + "@" + f.groupVersion() + "." + f.name())
                .toList();
    }

    private List<FeatureGroup> versionsFor(String name, Integer version) {
        List<FeatureGroup> all = repository.groupVersions(name);
        if (all.isEmpty()) {
            throw catalog.groupNotFound(name, version == null ? 0 : version);
        }
        if (version == null) {
            return all;
        }
        return List.of(all.stream().filter(g -> g.version() == version).findFirst().orElseThrow(() -> catalog.groupNotFound(name, version)));
    }

    private void lockNames(RegistrationSpec spec) {
        if (spec == null) {
            return;
        }
        Set<String> names = new TreeSet<>();
        spec.entitiesOrEmpty().stream().filter(e -> e != null && e.name() != null).forEach(e -> names.add("entity:" + e.name()));
        spec.groupsOrEmpty().stream().filter(g -> g != null && g.name() != null).forEach(g -> names.add("group:" + g.name()));
        spec.featureServicesOrEmpty().stream().filter(s -> s != null && s.name() != null).forEach(s -> names.add("service:" + s.name()));
        // the groups services name too: a deletion of one (which locks it) cannot slip between their check and commit
        spec.featureServicesOrEmpty().stream().filter(s -> s != null && s.features() != null).flatMap(s -> s.features().stream())
                .filter(java.util.Objects::nonNull).map(e -> e.split("[@.:]", 2)[0].trim()).filter(io.quiver.registry.model.Names::isValid)
                .forEach(g -> names.add("group:" + g));
        names.stream().filter(n -> n.length() <= 80).forEach(repository::lock);
    }

    private RegistryView view() {
        return new RegistryView() {
            @Override
            public Optional<List<JoinKey>> entityKeys(String entity) {
                return repository.entity(entity).map(EntityDefinition::joinKeys);
            }

            @Override
            public boolean featureExists(FeatureRef reference) {
                return repository.featureExists(reference);
            }

            @Override
            public Optional<DataSource> dataSource(String name) {
                return repository.dataSource(name);
            }
        };
    }

    /**
     * The checks of virtual groups only a query engine can make (what a template reads and calls, its output
     * columns), and whether virtualization is enabled for them; every problem of every group is listed.
     */
    private void checkTemplates(ValidatedRegistration valid) {
        Violations violations = new Violations();
        Map<String, List<JoinKey>> batchKeys = new HashMap<>();
        valid.entities().forEach(e -> batchKeys.put(e.name(), e.joinKeys()));
        for (int i = 0; i < valid.groups().size(); i++) {
            GroupDraft g = valid.groups().get(i);
            String mode = g.config().get(ConfigKey.MODE);
            String enabled = g.config().getOrDefault(ConfigKey.ENABLE_VIRTUALIZATION, String.valueOf(config.enableVirtualization()));
            if (Mode.VIRTUALIZED.name().equals(mode) && !Boolean.parseBoolean(enabled)) {
                violations.add("groups[" + i + "].mode", ValidationRule.SETTING_VALUE, "enable_virtualization is false for this group, "
                        + "so it cannot be VIRTUALIZED; make it HYBRID or MATERIALIZED, or enable virtualization");
            }
            if (g.queryTemplate() == null) {
                continue;
            }
            if (templateChecks.isUnsatisfied()) {
                violations.add("groups[" + i + "].queryTemplate", ValidationRule.QUERY_TEMPLATE, "this service has no query executor "
                        + "to check templates with");
                continue;
            }
            List<JoinKey> keys = new ArrayList<>();
            for (String entity : g.entities()) {
                keys.addAll(batchKeys.containsKey(entity) ? batchKeys.get(entity)
                        : repository.entity(entity).map(EntityDefinition::joinKeys).orElse(List.of()));
            }
            Map<String, DataSource> sources = new HashMap<>();
            g.queryTemplate().sources().forEach(s -> repository.dataSource(s).ifPresent(d -> sources.put(s, d)));
            templateChecks.get().check("groups[" + i + "]", g, keys, sources).forEach(violations::add);
        }
        violations.throwIfAny("The registration", false);
    }

    private EntityOutcome registerEntity(String path, EntityDraft draft, Instant now, List<Violation> conflicts) {
        Optional<EntityDefinition> existing = repository.entity(draft.name());
        if (existing.isEmpty()) {
            repository.insertEntity(draft, now);
            return new EntityOutcome(draft.name(), Action.CREATED);
        }
        EntityDefinition registered = existing.get();
        if (!registered.joinKeys().equals(draft.joinKeys())) {
            conflicts.add(new Violation(path + ".joinKeys", ValidationRule.KEYS_CHANGED, "entity '" + draft.name() + "' is registered "
                    + "with join keys " + registered.joinKeys() + "; join keys never change, because groups are keyed by them. "
                    + "Register an entity under a new name instead"));
            return new EntityOutcome(draft.name(), Action.UNCHANGED);
        }
        if (java.util.Objects.equals(registered.description(), draft.description())) {
            return new EntityOutcome(draft.name(), Action.UNCHANGED);
        }
        repository.updateEntityDescription(draft.name(), draft.description(), now);
        return new EntityOutcome(draft.name(), Action.UPDATED);
    }

    /** The versioning decision ({@link SchemaChange}) carried out: nothing, a change in place, or a new version. */
    private GroupOutcome registerGroup(GroupDraft draft, Instant now) {
        Optional<GroupSchema> latest = repository.schema(draft.name(), 0);
        if (latest.isEmpty()) {
            String path = defaultStoragePath(draft);
            return new GroupOutcome(Action.CREATED, List.of(),
                    repository.insertGroupVersion(draft, 1, path, dataPrefix(path, 1), config.storageFormat(), now));
        }
        FeatureGroup current = latest.get().group();
        SchemaChange change = SchemaChange.between(latest.get(), draft);
        return switch (change.kind()) {
            case UNCHANGED -> new GroupOutcome(Action.UNCHANGED, List.of(), current);
            case COMPATIBLE -> new GroupOutcome(Action.UPDATED, change.changes(),
                    repository.updateGroupVersion(draft.name(), current.version(), draft, config.storageFormat(), now));
            default -> {
                repository.retire(draft.name(), current.version());
                String path = draft.storagePath() != null ? draft.storagePath() : current.storagePath();
                int version = current.version() + 1;
                yield new GroupOutcome(Action.NEW_VERSION, change.changes(),
                        repository.insertGroupVersion(draft, version, path, dataPrefix(path, version), config.storageFormat(), now));
            }
        };
    }

    private String defaultStoragePath(GroupDraft draft) {
        if (draft.storagePath() != null) {
            return draft.storagePath();
        }
        String base = config.storagePath();
        return (base.endsWith("/") ? base : base + "/") + draft.name();
    }

    /**
     * A new version's own directory under the storage path. The random token keeps it apart from every other version,
     * including one that had the same number before it was deleted (its files may still be being removed).
     */
    static String dataPrefix(String storagePath, int version) {
        String token = java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return storagePath + "/v" + version + "_" + token + "/data/";
    }
}
