package io.quiver.registry.persistence;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import java.time.Instant;

import io.quiver.config.StorageFormat;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.EntityDefinition;
import io.quiver.registry.model.GroupStatus;
import io.quiver.registry.validation.ValidatedRegistration.EntityDraft;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The one door to the registry's rows: reads, locks and writes them, and maps them to and from the model (no
 * other class touches a row, a Panache query or JPQL; {@link CatalogQueries} holds the catalog's filtered listings). Every method that returns several groups or features
 * loads them with a fixed number of queries, whatever their count.
 */
@ApplicationScoped
public class RegistryRepository {

    private final EntityManager em;

    public RegistryRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Serializes work on one name across threads and replicas until the current transaction ends. Callers lock
     * names in sorted order so two registrations never wait on each other in a cycle.
     */
    public void lock(String name) {
        em.createNativeQuery("INSERT INTO qv_name_lock (name) VALUES (?1) ON CONFLICT DO NOTHING")
                .setParameter(1, name).executeUpdate();
        em.createNativeQuery("SELECT name FROM qv_name_lock WHERE name = ?1 FOR UPDATE")
                .setParameter(1, name).getResultList();
    }

    public void flush() {
        em.flush();
    }

    /**
     * Sends {@code payload} on a PostgreSQL notification channel as part of the current transaction: listeners get it
     * when, and only if, the transaction commits.
     */
    public void notify(String channel, String payload) {
        em.createNativeQuery("SELECT pg_notify(?1, ?2)").setParameter(1, channel).setParameter(2, payload).getResultList();
    }

    // Entities

    private Optional<EntityRow> entityRow(String name) {
        return EntityRow.find("name", name).firstResultOptional();
    }

    public Optional<EntityDefinition> entity(String name) {
        return entityRow(name).map(EntityRow::toDefinition);
    }

    public void insertEntity(EntityDraft draft, Instant now) {
        EntityRow row = new EntityRow();
        row.name = draft.name();
        row.joinKeys = draft.joinKeys();
        row.description = draft.description();
        row.createdAt = now;
        row.updatedAt = now;
        row.persist();
    }

    public void updateEntityDescription(String name, String description, Instant now) {
        EntityRow row = entityRow(name).orElseThrow();
        row.description = description;
        row.updatedAt = now;
    }

    private Map<String, EntityRow> entityRows(Collection<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        List<EntityRow> rows = EntityRow.list("name in ?1", new HashSet<>(names));
        return rows.stream().collect(Collectors.toMap(r -> r.name, Function.identity()));
    }

    public List<EntityDefinition> entities() {
        List<EntityRow> rows = EntityRow.list("order by name");
        return rows.stream().map(EntityRow::toDefinition).toList();
    }

    public Map<String, EntityDefinition> entities(Collection<String> names) {
        Map<String, EntityDefinition> out = new HashMap<>();
        entityRows(names).forEach((n, r) -> out.put(n, r.toDefinition()));
        return out;
    }

    // Groups

    private Optional<FeatureGroupRow> latestRow(String name) {
        return FeatureGroupRow.find("name = ?1 and latest = true", name).firstResultOptional();
    }

    private Optional<FeatureGroupRow> row(String name, int version) {
        return FeatureGroupRow.find("name = ?1 and version = ?2", name, version).firstResultOptional();
    }

    private List<FeatureGroupRow> versionRows(String name) {
        return FeatureGroupRow.list("name = ?1 order by version", name);
    }

    /** Every version of a group, oldest first. */
    public List<FeatureGroup> groupVersions(String name) {
        return toModels(versionRows(name));
    }

    /** Every version of each named group, in one query. */
    public Map<String, List<Integer>> versions(List<String> names) {
        Map<String, List<Integer>> out = new HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        em.createQuery("select g.name, g.version from FeatureGroupRow g where g.name in :names order by g.name, g.version", Object[].class)
                .setParameter("names", names).getResultList()
                .forEach(r -> out.computeIfAbsent((String) r[0], n -> new ArrayList<>()).add((Integer) r[1]));
        return out;
    }

    /** Names of the latest versions of every group. */
    public List<String> groupNames() {
        return em.createQuery("select g.name from FeatureGroupRow g where g.latest = true", String.class).getResultList();
    }

    /** The tags of the latest version of every group, by group name. */
    public Map<String, List<String>> latestTags() {
        Map<String, List<String>> out = new HashMap<>();
        em.createQuery("select g.name, t from FeatureGroupRow g left join g.tags t where g.latest = true", Object[].class).getResultList()
                .forEach(r -> {
                    List<String> tags = out.computeIfAbsent((String) r[0], n -> new ArrayList<>());
                    if (r[1] != null) {
                        tags.add((String) r[1]);
                    }
                });
        return out;
    }

    /** The latest, active versions that name a materialization schedule. */
    public List<FeatureGroup> scheduledGroups() {
        return toModels(FeatureGroupRow.list("latest = true and status = ?1 and materializationSchedule is not null", GroupStatus.ACTIVE));
    }

    /** Every registered group version. */
    public List<FeatureGroup> allGroupVersions() {
        return toModels(FeatureGroupRow.list("order by name, version"));
    }

    // Group writes (the caller holds the name's lock)

    /** Inserts a group version as the latest, with its features. */
    public FeatureGroup insertGroupVersion(GroupDraft draft, int version, String storagePath, String dataPrefix,
            StorageFormat defaultFormat, Instant now) {
        FeatureGroupRow row = new FeatureGroupRow();
        row.name = draft.name();
        row.version = version;
        row.latest = true;
        row.status = GroupStatus.ACTIVE;
        row.createdAt = now;
        row.updatedAt = now;
        GroupRows.apply(row, draft, storagePath, defaultFormat);
        row.dataPrefix = dataPrefix;
        row.persist();
        for (int i = 0; i < draft.features().size(); i++) {
            FeatureRow fr = new FeatureRow();
            fr.groupId = row.id;
            GroupRows.apply(fr, draft.features().get(i), i);
            fr.persist();
        }
        return reload(row);
    }

    /** Changes a version in place (a compatible change): its fields, existing features, and new features added. */
    public FeatureGroup updateGroupVersion(String name, int version, GroupDraft draft, StorageFormat defaultFormat, Instant now) {
        FeatureGroupRow row = row(name, version).orElseThrow();
        GroupRows.apply(row, draft, row.storagePath, defaultFormat);
        row.updatedAt = now;
        Map<String, FeatureRow> byName = new HashMap<>();
        FeatureRow.<FeatureRow>list("groupId", row.id).forEach(f -> byName.put(f.name, f));
        for (int i = 0; i < draft.features().size(); i++) {
            FeatureDraft f = draft.features().get(i);
            FeatureRow fr = byName.get(f.name());
            if (fr == null) {
                fr = new FeatureRow();
                fr.groupId = row.id;
                GroupRows.apply(fr, f, i);
                fr.persist();
            } else {
                GroupRows.apply(fr, f, i);
            }
        }
        return reload(row);
    }

    /** Makes a version no longer the latest (a newer one is about to be inserted). */
    public void retire(String name, int version) {
        row(name, version).orElseThrow().latest = false;
        em.flush();
    }

    /** Marks versions DEPRECATED and returns them. */
    public List<FeatureGroup> deprecate(String name, List<Integer> versions, Instant now) {
        List<FeatureGroupRow> rows = versionRows(name).stream().filter(r -> versions.contains(r.version)).toList();
        for (FeatureGroupRow row : rows) {
            if (row.status != GroupStatus.DEPRECATED) {
                row.status = GroupStatus.DEPRECATED;
                row.updatedAt = now;
            }
        }
        return toModels(rows);
    }

    /** Deletes versions with their features; {@code newLatest} (if not null) becomes the latest. */
    public void deleteVersions(String name, List<Integer> versions, Integer newLatest) {
        for (FeatureGroupRow row : versionRows(name)) {
            if (versions.contains(row.version)) {
                FeatureRow.delete("groupId", row.id);
                row.delete();
            }
        }
        em.flush();
        if (newLatest != null) {
            row(name, newLatest).orElseThrow().latest = true;
        }
    }

    private FeatureGroup reload(FeatureGroupRow row) {
        em.flush();
        return toModels(List.of(row)).get(0);
    }

    public List<Integer> versions(String name) {
        return em.createQuery("select g.version from FeatureGroupRow g where g.name = ?1 order by g.version", Integer.class)
                .setParameter(1, name).getResultList();
    }

    /** A group version with its features; version 0 means the latest. */
    public Optional<GroupSchema> schema(String name, int version) {
        Optional<FeatureGroupRow> row = version == 0 ? latestRow(name) : row(name, version);
        return row.map(r -> schemas(List.of(r)).get(0));
    }

    /** Group versions with their features, in the given order. */
    public List<GroupSchema> schemasOf(List<FeatureGroup> groups) {
        Map<Long, List<Feature>> features = features(groups);
        return groups.stream().map(g -> GroupSchema.of(g, features.getOrDefault(g.id(), List.of()))).toList();
    }

    /** Groups with their features, in the given order. */
    private List<GroupSchema> schemas(List<FeatureGroupRow> rows) {
        List<FeatureGroup> groups = toModels(rows);
        Map<Long, List<Feature>> features = features(groups);
        return groups.stream().map(g -> GroupSchema.of(g, features.getOrDefault(g.id(), List.of()))).toList();
    }

    List<FeatureGroup> toModels(List<FeatureGroupRow> rows) {
        Set<String> entityNames = new HashSet<>();
        rows.forEach(r -> entityNames.addAll(r.entityNames));
        Map<String, EntityRow> entities = entityRows(entityNames);
        return rows.stream().map(r -> r.toModel(entities)).toList();
    }

    /** Features of many group versions, by group id, in each group's declared order. */
    public Map<Long, List<Feature>> features(Collection<FeatureGroup> groups) {
        if (groups.isEmpty()) {
            return Map.of();
        }
        Map<Long, FeatureGroup> byId = new HashMap<>();
        groups.forEach(g -> byId.put(g.id(), g));
        List<FeatureRow> rows = FeatureRow.list("groupId in ?1 order by groupId, position", byId.keySet());
        Map<Long, List<Feature>> out = new LinkedHashMap<>();
        for (FeatureRow row : rows) {
            FeatureGroup g = byId.get(row.groupId);
            out.computeIfAbsent(row.groupId, id -> new ArrayList<>()).add(row.toModel(g.name(), g.version()));
        }
        return out;
    }

    public List<FeatureGroup> groupsByIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<FeatureGroupRow> rows = FeatureGroupRow.list("id in ?1", new HashSet<>(ids));
        return toModels(rows);
    }

    public boolean featureExists(FeatureRef ref) {
        String versionCondition = ref.latest() ? "g.latest = true" : "g.version = :version";
        var query = em.createQuery("select count(f) from FeatureRow f, FeatureGroupRow g where f.groupId = g.id "
                + "and g.name = :group and f.name = :feature and " + versionCondition, Long.class)
                .setParameter("group", ref.group()).setParameter("feature", ref.feature());
        if (!ref.latest()) {
            query.setParameter("version", ref.version());
        }
        return query.getSingleResult() > 0;
    }

    /** Features (any version) that name one of {@code refs} as a source feature, or the dataset as a source. */
    public List<Feature> downstream(LineageSource.Kind kind, Collection<String> refs) {
        if (refs.isEmpty()) {
            return List.of();
        }
        List<FeatureRow> rows = em.createQuery("select distinct f from FeatureRow f join f.sources s "
                + "where s.kind = :kind and s.ref in :refs", FeatureRow.class)
                .setParameter("kind", kind).setParameter("refs", refs).getResultList();
        Map<Long, FeatureGroup> groups = groupsByIds(rows.stream().map(r -> r.groupId).toList()).stream()
                .collect(Collectors.toMap(FeatureGroup::id, Function.identity()));
        return rows.stream().map(r -> r.toModel(groups.get(r.groupId).name(), groups.get(r.groupId).version()))
                .sorted(java.util.Comparator.comparing(Feature::group).thenComparing(Feature::groupVersion)
                        .thenComparing(Feature::name))
                .toList();
    }

    // Data sources

    private Optional<DataSourceRow> dataSourceRow(String name) {
        return DataSourceRow.find("name", name).firstResultOptional();
    }

    public Optional<DataSource> dataSource(String name) {
        return dataSourceRow(name).map(DataSourceRow::toModel);
    }

    public List<DataSource> dataSources() {
        List<DataSourceRow> rows = DataSourceRow.list("order by name");
        return rows.stream().map(DataSourceRow::toModel).toList();
    }

    /** Inserts the data source, or updates the one of its name. */
    public DataSource saveDataSource(DataSource source) {
        DataSourceRow row = dataSourceRow(source.name()).orElseGet(() -> {
            DataSourceRow r = new DataSourceRow();
            r.createdAt = source.createdAt();
            return r;
        });
        row.apply(source);
        if (row.id == null) {
            row.persist();
        }
        em.flush();
        return row.toModel();
    }

    public boolean deleteDataSource(String name) {
        return DataSourceRow.delete("name", name) > 0;
    }

    /** The group versions whose template reads the data source, as name@version. */
    public List<String> groupsReading(String source) {
        return em.createQuery("select g.name, g.version from FeatureGroupRow g where :source member of g.templateSources "
                + "order by g.name, g.version", Object[].class).setParameter("source", source).getResultList().stream()
                .map(r -> r[0] + "@" + r[1]).toList();
    }

    public long countLatestGroups() {
        return FeatureGroupRow.count("latest = true");
    }
}
