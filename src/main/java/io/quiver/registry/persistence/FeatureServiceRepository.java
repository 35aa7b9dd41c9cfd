package io.quiver.registry.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.quarkus.panache.common.Sort;
import io.quiver.registry.model.FeatureService;
import io.quiver.registry.model.ServiceRef;
import io.quiver.registry.spec.FeatureServiceFilter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** The feature services' rows: a row per version, its entries in order in {@code qv_service_entry}. */
@ApplicationScoped
public class FeatureServiceRepository {

    private final EntityManager em;

    public FeatureServiceRepository(EntityManager em) {
        this.em = em;
    }

    /** The version (0: the latest), if registered. */
    public Optional<FeatureService> find(String name, int version) {
        Optional<FeatureServiceRow> row = version == 0
                ? FeatureServiceRow.<FeatureServiceRow>find("name = ?1 and latest = true", name).firstResultOptional()
                : FeatureServiceRow.<FeatureServiceRow>find("name = ?1 and version = ?2", name, version).firstResultOptional();
        return row.map(r -> withEntries(List.of(r)).get(0));
    }

    /** Every version of the service, oldest first. */
    public List<FeatureService> versions(String name) {
        return withEntries(FeatureServiceRow.<FeatureServiceRow>list("name", Sort.by("version"), name));
    }

    /** The highest version the name has ever had, deleted ones included (0: never registered). */
    public int lastVersion(String name) {
        List<?> found = em.createNativeQuery("SELECT last_version FROM qv_service_name WHERE name = ?1").setParameter(1, name).getResultList();
        return found.isEmpty() ? 0 : ((Number) found.get(0)).intValue();
    }

    /** The next version of the service, now its latest (the previous latest is not any more). */
    public FeatureService insert(String name, int version, String description, String owner, List<String> tags, List<ServiceRef> entries,
            Instant now) {
        FeatureServiceRow.update("latest = false where name = ?1 and latest = true", name);
        FeatureServiceRow row = new FeatureServiceRow();
        row.name = name;
        row.version = version;
        row.latest = true;
        row.description = description;
        row.owner = owner;
        row.tags = tags;
        row.createdAt = now;
        row.updatedAt = now;
        row.persist();
        em.flush();
        if (em.createNativeQuery("UPDATE qv_service_name SET last_version = ?2 WHERE name = ?1").setParameter(1, name)
                .setParameter(2, version).executeUpdate() == 0) {
            em.createNativeQuery("INSERT INTO qv_service_name (name, last_version) VALUES (?1, ?2)").setParameter(1, name)
                    .setParameter(2, version).executeUpdate();
        }
        writeEntries(row.id, entries);
        return row.toModel(entries.stream().map(ServiceRef::toString).toList());
    }

    /** A compatible change applied to the version in place: its text and its entries (entries only added or moved). */
    public FeatureService update(FeatureService service, String description, String owner, List<String> tags, List<ServiceRef> entries,
            Instant now) {
        FeatureServiceRow row = FeatureServiceRow.findById(service.id());
        row.description = description;
        row.owner = owner;
        row.tags = tags;
        row.updatedAt = now;
        em.createNativeQuery("DELETE FROM qv_service_entry WHERE service_id = ?1").setParameter(1, row.id).executeUpdate();
        writeEntries(row.id, entries);
        return row.toModel(entries.stream().map(ServiceRef::toString).toList());
    }

    private void writeEntries(long serviceId, List<ServiceRef> entries) {
        for (int i = 0; i < entries.size(); i++) {
            ServiceRef e = entries.get(i);
            em.createNativeQuery("INSERT INTO qv_service_entry (service_id, position, group_name, group_version, feature_name) "
                    + "VALUES (?1, ?2, ?3, ?4, ?5)").setParameter(1, serviceId).setParameter(2, i).setParameter(3, e.group())
                    .setParameter(4, e.version()).setParameter(5, e.feature()).executeUpdate();
        }
    }

    /** Deletes versions of the service; the newest remaining one (if any) becomes the latest. */
    public void delete(String name, List<Integer> versions) {
        FeatureServiceRow.delete("name = ?1 and version in ?2", name, versions);
        FeatureServiceRow.<FeatureServiceRow>find("name", Sort.descending("version"), name).firstResultOptional()
                .ifPresent(newest -> newest.latest = true);
    }

    /** A page of services by name then version, after {@code after} ({@code name@version}), at most {@code first}. */
    public List<FeatureService> list(FeatureServiceFilter filter, int first, String afterName, int afterVersion) {
        StringBuilder q = new StringBuilder("(name > ?1 or (name = ?1 and version > ?2))");
        List<Object> params = new ArrayList<>(List.of(afterName, afterVersion));
        if (filter == null || !Boolean.TRUE.equals(filter.allVersions())) {
            q.append(" and latest = true");
        }
        if (filter != null && filter.owner() != null) {
            params.add(filter.owner());
            q.append(" and owner = ?").append(params.size());
        }
        if (filter != null && filter.search() != null && !filter.search().isBlank()) {
            params.add("%" + filter.search().toLowerCase(Locale.ROOT) + "%");
            int p = params.size();
            q.append(" and (lower(name) like ?").append(p).append(" or lower(coalesce(description, '')) like ?").append(p)
                    .append(" or lower(coalesce(owner, '')) like ?").append(p).append(")");
        }
        List<String> tags = filter == null || filter.tags() == null ? List.of() : filter.tags();
        var query = FeatureServiceRow.<FeatureServiceRow>find(q.toString(), Sort.by("name").and("version"), params.toArray());
        if (tags.isEmpty()) {
            return withEntries(query.range(0, first - 1).list());
        }
        // tags are a JSON document here: filtered in pages until the page is full
        List<FeatureServiceRow> rows = new ArrayList<>();
        for (int start = 0; rows.size() < first; start += 500) {
            List<FeatureServiceRow> batch = query.range(start, start + 499).list();
            batch.stream().filter(r -> r.tags.containsAll(tags)).limit(first - rows.size()).forEach(rows::add);
            if (batch.size() < 500) {
                break;
            }
        }
        return withEntries(rows);
    }

    /**
     * Services (latest versions, and older ones too when {@code allVersions}) with an entry naming the group: the
     * caller checks which features and versions the entries cover.
     */
    public List<FeatureService> naming(String group, boolean allVersions) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT DISTINCT e.service_id FROM qv_service_entry e JOIN qv_feature_service s ON "
                + "s.id = e.service_id WHERE e.group_name = ?1" + (allVersions ? "" : " AND s.latest = true")).setParameter(1, group)
                .getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return withEntries(FeatureServiceRow.<FeatureServiceRow>list("id in ?1", Sort.by("name").and("version"),
                ids.stream().map(Number::longValue).toList()));
    }

    private List<FeatureService> withEntries(List<FeatureServiceRow> rows) {
        if (rows.isEmpty()) {
            return List.of();
        }
        Map<Long, List<String>> entries = new HashMap<>();
        Collection<Long> ids = rows.stream().map(r -> r.id).toList();
        @SuppressWarnings("unchecked")
        List<Object[]> found = em.createNativeQuery("SELECT service_id, group_name, group_version, feature_name FROM qv_service_entry "
                + "WHERE service_id IN (?1) ORDER BY service_id, position").setParameter(1, ids).getResultList();
        for (Object[] e : found) {
            entries.computeIfAbsent(((Number) e[0]).longValue(), k -> new ArrayList<>())
                    .add(new ServiceRef((String) e[1], ((Number) e[2]).intValue(), (String) e[3]).toString());
        }
        return rows.stream().map(r -> r.toModel(entries.getOrDefault(r.id, List.of()))).toList();
    }
}
