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

import io.quiver.registry.model.EntityDefinition;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * Reads and locks registry rows, and maps them to the model. Every method that returns several groups or features
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

    // Entities

    public Optional<EntityRow> entityRow(String name) {
        return EntityRow.find("name", name).firstResultOptional();
    }

    public Map<String, EntityRow> entityRows(Collection<String> names) {
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

    public Optional<FeatureGroupRow> latestRow(String name) {
        return FeatureGroupRow.find("name = ?1 and latest = true", name).firstResultOptional();
    }

    public Optional<FeatureGroupRow> row(String name, int version) {
        return FeatureGroupRow.find("name = ?1 and version = ?2", name, version).firstResultOptional();
    }

    public List<FeatureGroupRow> versionRows(String name) {
        return FeatureGroupRow.list("name = ?1 order by version", name);
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

    /** Groups with their features, in the given order. */
    public List<GroupSchema> schemas(List<FeatureGroupRow> rows) {
        List<FeatureGroup> groups = toModels(rows);
        Map<Long, List<Feature>> features = features(groups);
        return groups.stream().map(g -> GroupSchema.of(g, features.getOrDefault(g.id(), List.of()))).toList();
    }

    public List<FeatureGroup> toModels(List<FeatureGroupRow> rows) {
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

    public long countLatestGroups() {
        return FeatureGroupRow.count("latest = true");
    }

    public EntityManager entityManager() {
        return em;
    }
}
