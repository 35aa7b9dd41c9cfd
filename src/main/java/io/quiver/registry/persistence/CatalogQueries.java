package io.quiver.registry.persistence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.quiver.config.Mode;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.spec.FeatureFilter;
import io.quiver.registry.spec.FeatureGroupFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * The catalog's filtered listings, in keyset order: groups by (name, version descending), features by (group,
 * version descending, name). Each page is one count and one page query (plus the batched loads of its rows).
 */
@ApplicationScoped
public class CatalogQueries {

    /** Up to {@code first} items after the keyset position, the total matching the filter, and whether more follow. */
    public record Slice<T>(List<T> items, long total, boolean hasNext) {
    }

    /** A position in the group listing. */
    public record GroupKey(String name, int version) {
    }

    /** A position in the feature listing. */
    public record FeatureKey(String group, int version, String feature) {
    }

    private final EntityManager em;
    private final RegistryRepository repository;

    public CatalogQueries(EntityManager em, RegistryRepository repository) {
        this.em = em;
        this.repository = repository;
    }

    /**
     * @param globalMode the mode groups without one of their own follow
     * @param only the names of the groups the caller may see; null for every group
     */
    public Slice<FeatureGroup> groups(FeatureGroupFilter f, Mode globalMode, GroupKey after, int first, java.util.Set<String> only) {
        if (only != null && only.isEmpty()) {
            return new Slice<>(List.of(), 0, false);
        }
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (only != null) {
            where.append(" and g.name in :only");
            params.put("only", only);
        }
        if (!Boolean.TRUE.equals(f.allVersions())) {
            where.append(" and g.latest = true");
        }
        if (f.search() != null && !f.search().isBlank()) {
            where.append(" and (lower(g.name) like :search escape '\\' or lower(coalesce(g.description, '')) like :search escape '\\'"
                    + " or lower(coalesce(g.owner, '')) like :search escape '\\'"
                    + " or exists (select 1 from FeatureRow sf where sf.groupId = g.id and lower(sf.name) like :search escape '\\'))");
            params.put("search", like(f.search()));
        }
        List<String> tags = f.tags() == null ? List.of() : f.tags();
        for (int i = 0; i < tags.size(); i++) {
            where.append(" and :tag").append(i).append(" member of g.tags");
            params.put("tag" + i, tags.get(i));
        }
        if (f.owner() != null) {
            where.append(" and g.owner = :owner");
            params.put("owner", f.owner());
        }
        if (f.mode() != null) {
            // A group without a mode of its own follows the global one.
            where.append(f.mode() == globalMode ? " and (g.mode = :mode or g.mode is null)" : " and g.mode = :mode");
            params.put("mode", f.mode());
        }
        if (f.entity() != null) {
            where.append(" and :entity member of g.entityNames");
            params.put("entity", f.entity());
        }
        if (f.status() != null) {
            where.append(" and g.status = :status");
            params.put("status", f.status());
        }
        long total = count("select count(g) from FeatureGroupRow g" + where, params);
        if (after != null) {
            where.append(" and (g.name > :afterName or (g.name = :afterName and g.version < :afterVersion))");
            params.put("afterName", after.name());
            params.put("afterVersion", after.version());
        }
        TypedQuery<FeatureGroupRow> query = em.createQuery("select g from FeatureGroupRow g" + where + " order by g.name, g.version desc",
                FeatureGroupRow.class).setMaxResults(first + 1);
        params.forEach(query::setParameter);
        List<FeatureGroupRow> rows = query.getResultList();
        boolean hasNext = rows.size() > first;
        return new Slice<>(repository.toModels(hasNext ? rows.subList(0, first) : rows), total, hasNext);
    }

    /** @param only the names of the groups whose features the caller may see; null for every group */
    public Slice<Feature> features(FeatureFilter f, FeatureKey after, int first, java.util.Set<String> only) {
        if (only != null && only.isEmpty()) {
            return new Slice<>(List.of(), 0, false);
        }
        StringBuilder where = new StringBuilder(" where g.id = f.groupId");
        Map<String, Object> params = new HashMap<>();
        if (only != null) {
            where.append(" and g.name in :only");
            params.put("only", only);
        }
        if (!Boolean.TRUE.equals(f.allVersions())) {
            where.append(" and g.latest = true");
        }
        if (f.search() != null && !f.search().isBlank()) {
            where.append(" and (lower(f.name) like :search escape '\\' or lower(coalesce(f.description, '')) like :search escape '\\')");
            params.put("search", like(f.search()));
        }
        if (f.group() != null) {
            where.append(" and g.name = :group");
            params.put("group", f.group());
        }
        if (f.dataType() != null) {
            where.append(" and f.dataType = :dataType");
            params.put("dataType", f.dataType());
        }
        if (f.featureType() != null) {
            where.append(" and f.featureType = :featureType");
            params.put("featureType", f.featureType());
        }
        List<String> tags = f.tags() == null ? List.of() : f.tags();
        for (int i = 0; i < tags.size(); i++) {
            where.append(" and :tag").append(i).append(" member of f.tags");
            params.put("tag" + i, tags.get(i));
        }
        long total = count("select count(f) from FeatureRow f, FeatureGroupRow g" + where, params);
        if (after != null) {
            where.append(" and (g.name > :afterGroup or (g.name = :afterGroup and (g.version < :afterVersion"
                    + " or (g.version = :afterVersion and f.name > :afterFeature))))");
            params.put("afterGroup", after.group());
            params.put("afterVersion", after.version());
            params.put("afterFeature", after.feature());
        }
        TypedQuery<FeatureRow> query = em.createQuery("select f from FeatureRow f, FeatureGroupRow g"
                + where + " order by g.name, g.version desc, f.name", FeatureRow.class).setMaxResults(first + 1);
        params.forEach(query::setParameter);
        List<FeatureRow> rows = query.getResultList();
        boolean hasNext = rows.size() > first;
        List<FeatureRow> page = hasNext ? rows.subList(0, first) : rows;
        Map<Long, FeatureGroup> groups = repository.groupsByIds(page.stream().map(r -> r.groupId).toList()).stream()
                .collect(Collectors.toMap(FeatureGroup::id, Function.identity()));
        List<Feature> features = new ArrayList<>();
        for (FeatureRow row : page) {
            FeatureGroup g = groups.get(row.groupId);
            features.add(row.toModel(g.name(), g.version()));
        }
        return new Slice<>(features, total, hasNext);
    }

    private long count(String jpql, Map<String, Object> params) {
        TypedQuery<Long> q = em.createQuery(jpql, Long.class);
        params.forEach(q::setParameter);
        return q.getSingleResult();
    }

    private static String like(String search) {
        String escaped = search.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}
