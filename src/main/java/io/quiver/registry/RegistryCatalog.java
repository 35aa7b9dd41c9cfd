package io.quiver.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quiver.config.QuiverConfig;
import io.quiver.error.FeatureGroupNotFoundException;
import io.quiver.error.FeatureNotFoundException;
import io.quiver.error.InvalidArgumentException;
import io.quiver.registry.model.EntityDefinition;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.persistence.LineageSource;
import io.quiver.registry.persistence.CatalogQueries;
import io.quiver.registry.persistence.CatalogQueries.FeatureKey;
import io.quiver.registry.persistence.CatalogQueries.GroupKey;
import io.quiver.registry.persistence.CatalogQueries.Slice;
import io.quiver.registry.persistence.RegistryRepository;
import io.quiver.registry.spec.FeatureFilter;
import io.quiver.registry.spec.FeatureGroupFilter;
import io.quiver.error.Suggestions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;
import java.util.HashMap;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import io.quiver.registry.model.GroupStatus;
import io.quiver.registry.persistence.FeatureGroupRow;
import io.quiver.registry.persistence.FeatureRow;
import jakarta.persistence.TypedQuery;

/** Read side of the registry for the catalog: filtered, keyset-paged listings, single lookups and lineage. */
@ApplicationScoped
@ActivateRequestContext
@Transactional(Transactional.TxType.SUPPORTS)
public class RegistryCatalog {

    private static final String GROUP_CURSOR = "g";
    private static final String FEATURE_CURSOR = "f";

    private final RegistryRepository repository;
    private final CatalogQueries queries;
    private final QuiverConfig config;
    private final io.quiver.registry.persistence.FeatureServiceRepository services;

    private final GroupGate gate;

    public RegistryCatalog(RegistryRepository repository, CatalogQueries queries, QuiverConfig config,
            io.quiver.registry.persistence.FeatureServiceRepository services, GroupGate gate) {
        this.gate = gate;
        this.services = services;
        this.repository = repository;
        this.queries = queries;
        this.config = config;
    }

    /** One feature service version (0 = latest), straight from the database; serving uses {@link FeatureGroupCache}. */
    public Optional<io.quiver.registry.model.FeatureService> findService(String name, int version) {
        return services.find(name, version);
    }

    /** The tags of the latest version of every group, by name (for matching grants). */
    public Map<String, List<String>> latestTags() {
        return repository.latestTags();
    }

    /** How many groups are registered (latest versions). */
    public long groupCount() {
        return repository.countLatestGroups();
    }

    public Page<FeatureGroup> groups(FeatureGroupFilter filter, int first, String after) {
        checkPageSize(first);
        GroupKey key = null;
        if (after != null) {
            List<String> k = Cursor.decode(GROUP_CURSOR, after, 2);
            key = new GroupKey(k.get(0), Cursor.number(k.get(1)));
        }
        Slice<FeatureGroup> slice = queries.groups(filter == null ? FeatureGroupFilter.NONE : filter, config.mode(), key, first,
                gate.readable().orElse(null));
        List<String> cursors = slice.items().stream().map(g -> Cursor.encode(GROUP_CURSOR, g.name(), g.version())).toList();
        return new Page<>(slice.items(), cursors, slice.total(), slice.hasNext());
    }

    public Page<Feature> features(FeatureFilter filter, int first, String after) {
        checkPageSize(first);
        FeatureKey key = null;
        if (after != null) {
            List<String> k = Cursor.decode(FEATURE_CURSOR, after, 3);
            key = new FeatureKey(k.get(0), Cursor.number(k.get(1)), k.get(2));
        }
        Slice<Feature> slice = queries.features(filter == null ? FeatureFilter.NONE : filter, key, first, gate.readable().orElse(null));
        List<String> cursors = slice.items().stream().map(f -> Cursor.encode(FEATURE_CURSOR, f.group(), f.groupVersion(), f.name())).toList();
        return new Page<>(slice.items(), cursors, slice.total(), slice.hasNext());
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
        return repository.versions(names);
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
        return repository.scheduledGroups();
    }

    /** Every registered group version (for maintenance that visits them all). */
    public List<FeatureGroup> allGroupVersions() {
        return repository.allGroupVersions();
    }

    /** Lineage of a feature: what it is computed from, and what is computed from it. */
    public Lineage lineageOfFeature(String reference) {
        FeatureRef ref = FeatureRef.parse(reference);
        gate.check(ref.group(), io.quiver.registry.model.GroupAction.READ);
        GroupSchema schema = repository.schema(ref.group(), ref.version()).orElseThrow(() -> groupNotFound(ref.group(), ref.version()));
        Feature feature = schema.feature(ref.feature()).orElseThrow(() -> new FeatureNotFoundException(
                "feature '" + ref + "' is not registered" + hint(ref.feature(), schema.byName().keySet())));
        List<String> refs = new ArrayList<>(List.of(feature.group() + "@" + feature.groupVersion() + "." + feature.name()));
        if (schema.group().latest()) {
            refs.add(feature.reference());
        }
        java.util.function.Predicate<String> visible = visibleGroups();
        List<String> downstream = repository.downstream(LineageSource.Kind.FEATURE, refs).stream().filter(f -> visible.test(f.group()))
                .map(RegistryCatalog::display).toList();
        List<String> usedBy = services.naming(schema.group().name(), false).stream()
                .filter(s -> s.covers(schema.group().name(), schema.group().version(), schema.group().latest(), feature.name()))
                .filter(s -> s.refs().stream().allMatch(r -> visible.test(r.group())))
                .map(io.quiver.registry.model.FeatureService::label).toList();
        List<String> upstream = feature.sourceFeatures().stream().filter(f -> visible.test(groupOf(f))).toList();
        return new Lineage(display(feature), Lineage.NodeKind.FEATURE, upstream, feature.sourceDatasets(), downstream, usedBy);
    }

    /** Lineage of a lake dataset: the features computed from it. */
    public Lineage lineageOfDataset(String dataset) {
        java.util.function.Predicate<String> visible = visibleGroups();
        List<String> downstream = repository.downstream(LineageSource.Kind.DATASET, List.of(dataset)).stream()
                .filter(f -> visible.test(f.group())).map(RegistryCatalog::display).toList();
        return new Lineage(dataset, Lineage.NodeKind.DATASET, List.of(), List.of(), downstream, List.of());
    }

    /** Which group names the caller may see (lineage and suggestions name only those). */
    private java.util.function.Predicate<String> visibleGroups() {
        return gate.readable().<java.util.function.Predicate<String>>map(names -> names::contains).orElse(n -> true);
    }

    /** The group of a lineage reference ({@code group.feature}, {@code group@2.feature}). */
    private static String groupOf(String reference) {
        int end = 0;
        while (end < reference.length() && reference.charAt(end) != '.' && reference.charAt(end) != '@' && reference.charAt(end) != ':') {
            end++;
        }
        return reference.substring(0, end);
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
        List<String> names = repository.groupNames().stream().filter(visibleGroups()).toList();
        return new FeatureGroupNotFoundException("feature group '" + name + "' is not registered" + hint(name, names));
    }

    static String hint(String name, java.util.Collection<String> candidates) {
        List<String> close = Suggestions.close(name, candidates, 3);
        return close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?";
    }

    public void checkPageSize(int first) {
        int max = config.registry().maxPageSize();
        if (first < 1 || first > max) {
            throw new InvalidArgumentException("'first' must be between 1 and " + max + ", not " + first);
        }
    }
}
