package io.quiver.registry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.logging.Logger;

import io.quiver.config.ConfigKey;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.error.Violation;
import io.quiver.registry.RegistrationResult.Action;
import io.quiver.registry.RegistrationResult.EntityOutcome;
import io.quiver.registry.RegistrationResult.GroupOutcome;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.GroupStatus;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.model.Mode;
import io.quiver.registry.model.StorageFormat;
import io.quiver.registry.persistence.EntityRow;
import io.quiver.registry.persistence.FeatureGroupRow;
import io.quiver.registry.persistence.FeatureRow;
import io.quiver.registry.persistence.LineageSource;
import io.quiver.registry.persistence.RegistryRepository;
import io.quiver.registry.spec.RegistrationSpec;
import io.quiver.registry.validation.DefinitionValidator;
import io.quiver.registry.validation.RegistryView;
import io.quiver.registry.validation.ValidatedRegistration;
import io.quiver.registry.validation.ValidatedRegistration.EntityDraft;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

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

    public RegistrationService(RegistryRepository repository, RegistryCatalog catalog, QuiverConfig config,
            Event<RegistryChanged> changed, Event<GroupVersionsDeleted> deleted) {
        this.repository = repository;
        this.catalog = catalog;
        this.config = config;
        this.changed = changed;
        this.deleted = deleted;
    }

    @Transactional
    public RegistrationResult register(RegistrationSpec spec) {
        lockNames(spec);
        ValidatedRegistration valid = DefinitionValidator.validate(spec, view());
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
        repository.entityManager().flush();

        List<GroupOutcome> groups = new ArrayList<>();
        Set<String> touched = new LinkedHashSet<>();
        for (GroupDraft draft : valid.groups()) {
            GroupOutcome outcome = registerGroup(draft, now);
            groups.add(outcome);
            if (outcome.action() != Action.UNCHANGED) {
                touched.add(draft.name());
            }
        }
        if (!touched.isEmpty()) {
            changed.fire(new RegistryChanged(touched));
        }
        if (!touched.isEmpty() || entities.stream().anyMatch(e -> e.action() != Action.UNCHANGED)) {
            LOG.infof("registration changed groups %s", touched.size() <= 10 ? touched : touched.size() + " groups");
        }
        return new RegistrationResult(entities, groups);
    }

    /** Marks one version (or every version, when {@code version} is null) DEPRECATED. */
    @Transactional
    public List<FeatureGroup> deprecate(String name, Integer version) {
        repository.lock("group:" + name);
        List<FeatureGroupRow> rows = rowsFor(name, version);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (FeatureGroupRow row : rows) {
            if (row.status != GroupStatus.DEPRECATED) {
                row.status = GroupStatus.DEPRECATED;
                row.updatedAt = now;
            }
        }
        changed.fire(new RegistryChanged(Set.of(name)));
        return repository.toModels(rows);
    }

    /**
     * Deletes one version (or all, when {@code version} is null), with its offline data once the deletion commits
     * (see {@code DeletedGroupCleaner}). Refuses, unless {@code force}, when features of
     * other groups name a feature that would no longer resolve as a lineage source.
     */
    @Transactional
    public DeletionResult delete(String name, Integer version, boolean force) {
        repository.lock("group:" + name);
        List<FeatureGroupRow> doomed = rowsFor(name, version);
        List<FeatureGroupRow> remaining = new ArrayList<>(repository.versionRows(name));
        remaining.removeIf(r -> doomed.stream().anyMatch(d -> d.id.equals(r.id)));
        FeatureGroupRow newLatest = remaining.isEmpty() ? null : remaining.get(remaining.size() - 1);

        if (!force) {
            List<String> dependents = dependents(name, doomed, newLatest);
            if (!dependents.isEmpty()) {
                throw new QuiverException(ErrorCode.FEATURE_GROUP_IN_USE, "feature group '" + name + "' is a lineage "
                        + "source of " + dependents + "; delete or re-register those first, or pass force: true to delete anyway");
            }
        }
        List<Integer> versions = doomed.stream().map(r -> r.version).sorted().toList();
        for (FeatureGroupRow row : doomed) {
            FeatureRow.delete("groupId", row.id);
            row.delete();
        }
        repository.entityManager().flush();
        if (newLatest != null && !newLatest.latest) {
            newLatest.latest = true;
        }
        changed.fire(new RegistryChanged(Set.of(name)));
        List<FeatureGroupRow> ordered = doomed.stream().sorted(java.util.Comparator.comparingInt(d -> d.version)).toList();
        deleted.fire(new GroupVersionsDeleted(name, versions, ordered.stream().map(d -> d.id).toList(),
                ordered.stream().map(d -> d.dataPrefix).toList()));
        LOG.infof("deleted feature group %s versions %s", name, versions);
        return new DeletionResult(name, versions, newLatest == null ? null : newLatest.version);
    }

    private List<String> dependents(String name, List<FeatureGroupRow> doomed, FeatureGroupRow newLatest) {
        List<GroupSchema> schemas = repository.schemas(doomed);
        Set<String> dangling = new TreeSet<>();
        Set<String> survivors = new TreeSet<>();
        if (newLatest != null) {
            repository.schemas(List.of(newLatest)).get(0).features().forEach(f -> survivors.add(f.name()));
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

    private List<FeatureGroupRow> rowsFor(String name, Integer version) {
        if (version == null) {
            List<FeatureGroupRow> rows = repository.versionRows(name);
            if (rows.isEmpty()) {
                throw catalog.groupNotFound(name, 0);
            }
            return rows;
        }
        return List.of(repository.row(name, version).orElseThrow(() -> catalog.groupNotFound(name, version)));
    }

    private void lockNames(RegistrationSpec spec) {
        if (spec == null) {
            return;
        }
        Set<String> names = new TreeSet<>();
        spec.entitiesOrEmpty().stream().filter(e -> e != null && e.name() != null).forEach(e -> names.add("entity:" + e.name()));
        spec.groupsOrEmpty().stream().filter(g -> g != null && g.name() != null).forEach(g -> names.add("group:" + g.name()));
        names.stream().filter(n -> n.length() <= 80).forEach(repository::lock);
    }

    private RegistryView view() {
        return new RegistryView() {
            @Override
            public Optional<List<JoinKey>> entityKeys(String entity) {
                return repository.entityRow(entity).map(r -> r.joinKeys);
            }

            @Override
            public boolean featureExists(FeatureRef reference) {
                return repository.featureExists(reference);
            }
        };
    }

    private EntityOutcome registerEntity(String path, EntityDraft draft, Instant now, List<Violation> conflicts) {
        Optional<EntityRow> existing = repository.entityRow(draft.name());
        if (existing.isEmpty()) {
            EntityRow row = new EntityRow();
            row.name = draft.name();
            row.joinKeys = draft.joinKeys();
            row.description = draft.description();
            row.createdAt = now;
            row.updatedAt = now;
            row.persist();
            return new EntityOutcome(draft.name(), Action.CREATED);
        }
        EntityRow row = existing.get();
        if (!row.joinKeys.equals(draft.joinKeys())) {
            conflicts.add(new Violation(path + ".joinKeys", "KEYS_CHANGED", "entity '" + draft.name() + "' is registered "
                    + "with join keys " + row.joinKeys + "; join keys never change, because groups are keyed by them. "
                    + "Register an entity under a new name instead"));
            return new EntityOutcome(draft.name(), Action.UNCHANGED);
        }
        if (java.util.Objects.equals(row.description, draft.description())) {
            return new EntityOutcome(draft.name(), Action.UNCHANGED);
        }
        row.description = draft.description();
        row.updatedAt = now;
        return new EntityOutcome(draft.name(), Action.UPDATED);
    }

    private GroupOutcome registerGroup(GroupDraft draft, Instant now) {
        Optional<GroupSchema> latest = repository.schema(draft.name(), 0);
        if (latest.isEmpty()) {
            FeatureGroupRow row = insertVersion(draft, 1, defaultStoragePath(draft), now);
            return new GroupOutcome(Action.CREATED, List.of(), reload(row));
        }
        GroupSchema current = latest.get();
        SchemaChange change = SchemaChange.between(current, draft);
        switch (change.kind()) {
            case UNCHANGED:
                return new GroupOutcome(Action.UNCHANGED, List.of(), current.group());
            case COMPATIBLE: {
                FeatureGroupRow row = repository.row(draft.name(), current.group().version()).orElseThrow();
                applyGroupFields(row, draft, row.storagePath);
                row.updatedAt = now;
                Map<String, FeatureRow> byName = new HashMap<>();
                FeatureRow.<FeatureRow>list("groupId", row.id).forEach(f -> byName.put(f.name, f));
                for (int i = 0; i < draft.features().size(); i++) {
                    FeatureDraft f = draft.features().get(i);
                    FeatureRow fr = byName.get(f.name());
                    if (fr == null) {
                        fr = new FeatureRow();
                        fr.groupId = row.id;
                        applyFeature(fr, f, i);
                        fr.persist();
                    } else {
                        applyFeature(fr, f, i);
                    }
                }
                return new GroupOutcome(Action.UPDATED, change.changes(), reload(row));
            }
            default: {
                FeatureGroupRow old = repository.row(draft.name(), current.group().version()).orElseThrow();
                old.latest = false;
                repository.entityManager().flush();
                String path = draft.storagePath() != null ? draft.storagePath() : old.storagePath;
                FeatureGroupRow row = insertVersion(draft, old.version + 1, path, now);
                return new GroupOutcome(Action.NEW_VERSION, change.changes(), reload(row));
            }
        }
    }

    private FeatureGroup reload(FeatureGroupRow row) {
        repository.entityManager().flush();
        return repository.toModels(List.of(row)).get(0);
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

    private FeatureGroupRow insertVersion(GroupDraft draft, int version, String storagePath, Instant now) {
        FeatureGroupRow row = new FeatureGroupRow();
        row.name = draft.name();
        row.version = version;
        row.latest = true;
        row.status = GroupStatus.ACTIVE;
        row.createdAt = now;
        row.updatedAt = now;
        applyGroupFields(row, draft, storagePath);
        row.dataPrefix = dataPrefix(storagePath, version);
        row.persist();
        for (int i = 0; i < draft.features().size(); i++) {
            FeatureRow fr = new FeatureRow();
            fr.groupId = row.id;
            applyFeature(fr, draft.features().get(i), i);
            fr.persist();
        }
        return row;
    }

    private void applyGroupFields(FeatureGroupRow row, GroupDraft draft, String storagePath) {
        row.entityNames.clear();
        row.entityNames.addAll(draft.entities());
        row.eventTimestampColumn = draft.eventTimestampColumn();
        row.eventTimestampType = draft.eventTimestampType();
        row.createdTimestampColumn = draft.createdTimestampColumn();
        row.createdTimestampType = draft.createdTimestampType();
        row.ttlSeconds = draft.ttlSeconds();
        String mode = draft.config().get(ConfigKey.MODE);
        row.mode = mode == null ? null : Mode.valueOf(mode);
        String format = draft.config().get(ConfigKey.STORAGE_FORMAT);
        if (format != null) {
            row.storageFormat = StorageFormat.valueOf(format);
        } else if (row.storageFormat == null) {
            row.storageFormat = config.storageFormat();
        }
        row.storagePath = storagePath;
        row.onlineEnabled = draft.onlineEnabled();
        row.offlineEnabled = draft.offlineEnabled();
        row.materializationSchedule = draft.materializationSchedule();
        row.description = draft.description();
        row.owner = draft.owner();
        row.tags.clear();
        row.tags.addAll(draft.tags());
        row.metadata = draft.metadata();
        row.config = keyed(draft.config(), ConfigKey.MODE);
    }

    private static void applyFeature(FeatureRow fr, FeatureDraft f, int position) {
        fr.position = position;
        fr.name = f.name();
        fr.dataType = f.type().base();
        fr.typeExpression = f.type().toString();
        fr.featureType = f.featureType();
        fr.description = f.description();
        fr.nullable = f.nullable();
        fr.defaultValue = f.defaultValue();
        fr.allowedValues = f.allowedValues();
        fr.minValue = f.min();
        fr.maxValue = f.max();
        fr.unit = f.unit();
        fr.config = keyed(f.config(), null);
        fr.tags.clear();
        fr.tags.addAll(f.tags());
        fr.sources.clear();
        f.sourceFeatures().forEach(s -> fr.sources.add(new LineageSource(LineageSource.Kind.FEATURE, s)));
        f.sourceDatasets().forEach(s -> fr.sources.add(new LineageSource(LineageSource.Kind.DATASET, s)));
    }

    private static Map<String, String> keyed(Map<ConfigKey, String> settings, ConfigKey skip) {
        Map<String, String> out = new java.util.TreeMap<>();
        settings.forEach((k, v) -> {
            if (k != skip) {
                out.put(k.key(), v);
            }
        });
        return out;
    }
}
