package io.quiver.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.quiver.config.QuiverConfig;
import io.quiver.error.FeatureGroupNotFoundException;
import io.quiver.error.FeatureNotFoundException;
import io.quiver.error.InvalidArgumentException;
import io.quiver.registry.model.EntityDefinition;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.GroupStatus;
import io.quiver.registry.persistence.FeatureGroupRow;
import io.quiver.registry.persistence.FeatureRow;
import io.quiver.registry.persistence.LineageSource;
import io.quiver.registry.persistence.RegistryRepository;
import io.quiver.registry.spec.FeatureFilter;
import io.quiver.registry.spec.FeatureGroupFilter;
import io.quiver.registry.validation.Suggestions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;

/** Read side of the registry for the catalog: filtered, keyset-paged listings, single lookups and lineage. */
@ApplicationScoped
@ActivateRequestContext
@Transactional(Transactional.TxType.SUPPORTS)
public class RegistryCatalog {

    private static final String GROUP_CURSOR = "g";
    private static final String FEATURE_CURSOR = "f";

    private final RegistryRepository repository;
    private final QuiverConfig config;

    public RegistryCatalog(RegistryRepository repository, QuiverConfig config) {
        this.repository = repository;
        this.config = config;
    }

    public Page<FeatureGroup> groups(FeatureGroupFilter filter, int first, String after) {
        checkPageSize(first);
        FeatureGroupFilter f = filter == null ? FeatureGroupFilter.NONE : filter;
        StringBuilder where = new StringBuilder(" where 1 = 1");
        Map<String, Object> params = new HashMap<>();
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
            where.append(f.mode() == config.mode() ? " and (g.mode = :mode or g.mode is null)" : " and g.mode = :mode");
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
            List<String> key = Cursor.decode(GROUP_CURSOR, after, 2);
            where.append(" and (g.name > :afterName or (g.name = :afterName and g.version < :afterVersion))");
            params.put("afterName", key.get(0));
            params.put("afterVersion", Cursor.number(key.get(1)));
        }
        TypedQuery<FeatureGroupRow> query = repository.entityManager()
                .createQuery("select g from FeatureGroupRow g" + where + " order by g.name, g.version desc", FeatureGroupRow.class)
                .setMaxResults(first + 1);
        params.forEach(query::setParameter);
        List<FeatureGroupRow> rows = query.getResultList();
        boolean hasNext = rows.size() > first;
        List<FeatureGroup> groups = repository.toModels(hasNext ? rows.subList(0, first) : rows);
        List<String> cursors = groups.stream().map(g -> Cursor.encode(GROUP_CURSOR, g.name(), g.version())).toList();
        return new Page<>(groups, cursors, total, hasNext);
    }

    public Page<Feature> features(FeatureFilter filter, int first, String after) {
        checkPageSize(first);
        FeatureFilter f = filter == null ? FeatureFilter.NONE : filter;
        StringBuilder where = new StringBuilder(" where g.id = f.groupId");
        Map<String, Object> params = new HashMap<>();
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
            List<String> key = Cursor.decode(FEATURE_CURSOR, after, 3);
            where.append(" and (g.name > :afterGroup or (g.name = :afterGroup and (g.version < :afterVersion"
                    + " or (g.version = :afterVersion and f.name > :afterFeature))))");
            params.put("afterGroup", key.get(0));
            params.put("afterVersion", Cursor.number(key.get(1)));
            params.put("afterFeature", key.get(2));
        }
        TypedQuery<FeatureRow> query = repository.entityManager().createQuery("select f from FeatureRow f, FeatureGroupRow g"
                + where + " order by g.name, g.version desc, f.name", FeatureRow.class).setMaxResults(first + 1);
        params.forEach(query::setParameter);
        List<FeatureRow> rows = query.getResultList();
        boolean hasNext = rows.size() > first;
        List<FeatureRow> page = hasNext ? rows.subList(0, first) : rows;
        Map<Long, FeatureGroup> groups = repository.groupsByIds(page.stream().map(r -> r.groupId).toList()).stream()
                .collect(Collectors.toMap(FeatureGroup::id, Function.identity()));
        List<Feature> features = new ArrayList<>();
        List<String> cursors = new ArrayList<>();
        for (FeatureRow row : page) {
            FeatureGroup g = groups.get(row.groupId);
            features.add(row.toModel(g.name(), g.version()));
            cursors.add(Cursor.encode(FEATURE_CURSOR, g.name(), g.version(), row.name));
        }
        return new Page<>(features, cursors, total, hasNext);
    }

    /** One group version (0 = latest) with its features. */
    public GroupSchema group(String name, int version) {
        if (version < 0) {
            throw new InvalidArgumentException("version must be 1 or more (or omitted for the latest), not " + version);
        }
        return repository.schema(name, version).orElseThrow(() -> groupNotFound(name, version));
    }

    /** One group version (0 = latest), straight from the database; the serving path uses {@link FeatureGroupCache}. */
    public Optional<GroupSchema> find(String name, int version) {
        return repository.schema(name, version);
    }

    public List<Integer> versions(String name) {
        return repository.versions(name);
    }

    /** Every version of each named group, in one query. */
    public Map<String, List<Integer>> versions(List<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, List<Integer>> out = new HashMap<>();
        repository.entityManager().createQuery("select g.name, g.version from FeatureGroupRow g where g.name in :names "
                + "order by g.name, g.version", Object[].class).setParameter("names", names).getResultList()
                .forEach(r -> out.computeIfAbsent((String) r[0], n -> new ArrayList<>()).add((Integer) r[1]));
        return out;
    }

    public List<EntityDefinition> entities() {
        return repository.entities();
    }

    public Map<String, EntityDefinition> entities(List<String> names) {
        return repository.entities(names);
    }

    public Map<Long, List<Feature>> features(List<FeatureGroup> groups) {
        return repository.features(groups);
    }

    public List<FeatureGroup> groupsByIds(List<Long> ids) {
        return repository.groupsByIds(ids);
    }

    /** The latest, active versions that name a materialization schedule. */
    public List<FeatureGroup> scheduledGroups() {
        return repository.toModels(FeatureGroupRow.list("latest = true and status = ?1 and materializationSchedule is not null",
                GroupStatus.ACTIVE));
    }

    /** Every registered group version (for maintenance that visits them all). */
    public List<FeatureGroup> allGroupVersions() {
        return repository.toModels(FeatureGroupRow.list("order by name, version"));
    }

    /** Lineage of a feature: what it is computed from, and what is computed from it. */
    public Lineage lineageOfFeature(String reference) {
        FeatureRef ref = FeatureRef.parse(reference);
        GroupSchema schema = repository.schema(ref.group(), ref.version()).orElseThrow(() -> groupNotFound(ref.group(), ref.version()));
        Feature feature = schema.feature(ref.feature()).orElseThrow(() -> new FeatureNotFoundException(
                "feature '" + ref + "' is not registered" + hint(ref.feature(), schema.byName().keySet())));
        List<String> refs = new ArrayList<>(List.of(feature.group() + "@" + feature.groupVersion() + "." + feature.name()));
        if (schema.group().latest()) {
            refs.add(feature.reference());
        }
        List<String> downstream = repository.downstream(LineageSource.Kind.FEATURE, refs).stream().map(RegistryCatalog::display).toList();
        return new Lineage(display(feature), Lineage.NodeKind.FEATURE, feature.sourceFeatures(), feature.sourceDatasets(), downstream);
    }

    /** Lineage of a lake dataset: the features computed from it. */
    public Lineage lineageOfDataset(String dataset) {
        List<String> downstream = repository.downstream(LineageSource.Kind.DATASET, List.of(dataset)).stream()
                .map(RegistryCatalog::display).toList();
        return new Lineage(dataset, Lineage.NodeKind.DATASET, List.of(), List.of(), downstream);
    }

    private static String display(Feature f) {
        return f.group() + "@" + f.groupVersion() + "." + f.name();
    }

    public FeatureGroupNotFoundException groupNotFound(String name, int version) {
        List<Integer> versions = version > 0 ? repository.versions(name) : List.of();
        if (!versions.isEmpty()) {
            return new FeatureGroupNotFoundException("feature group '" + name + "' has no version " + version
                    + "; registered versions: " + versions);
        }
        List<String> names = repository.entityManager().createQuery(
                "select g.name from FeatureGroupRow g where g.latest = true", String.class).getResultList();
        return new FeatureGroupNotFoundException("feature group '" + name + "' is not registered" + hint(name, names));
    }

    static String hint(String name, java.util.Collection<String> candidates) {
        List<String> close = Suggestions.close(name, candidates, 3);
        return close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?";
    }

    private void checkPageSize(int first) {
        int max = config.registry().maxPageSize();
        if (first < 1 || first > max) {
            throw new InvalidArgumentException("'first' must be between 1 and " + max + ", not " + first);
        }
    }

    private long count(String jpql, Map<String, Object> params) {
        TypedQuery<Long> q = repository.entityManager().createQuery(jpql, Long.class);
        params.forEach(q::setParameter);
        return q.getSingleResult();
    }

    private static String like(String search) {
        String escaped = search.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }
}
