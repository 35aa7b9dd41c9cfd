package io.quiver.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;
import io.quiver.registry.RegistrationResult.Action;
import io.quiver.registry.RegistrationResult.ServiceOutcome;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.FeatureService;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.Names;
import io.quiver.registry.model.ServiceRef;
import io.quiver.registry.persistence.FeatureServiceRepository;
import io.quiver.registry.persistence.RegistryRepository;
import io.quiver.registry.spec.FeatureServiceFilter;
import io.quiver.registry.spec.FeatureServiceSpec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Feature services: registered with the other definitions (same transaction, same declarative versioning), listed
 * for the catalog, and expanded into feature references on every read path, through the registry cache.
 * <p>
 * Versioning: identical is UNCHANGED; added entries, description, owner and tags are compatible (the latest version
 * changes in place); a removed entry (a re-pinned version included) or a new order of the kept entries is breaking
 * (the next version). What a version serves can grow (added entries, and entries following a group's latest
 * version); what a read contained is in its answer (the service version and the expanded feature list).
 */
@ApplicationScoped
public class FeatureServices {

    /** Cache and notification names of services: a ':' never occurs in a group name, so the two never collide. */
    static final String CACHE_PREFIX = "service:";
    /** Most entries one service may hold. */
    public static final int MAX_ENTRIES = 10_000;

    private final FeatureServiceRepository services;
    private final RegistryRepository registry;
    private final FeatureGroupCache cache;

    public FeatureServices(FeatureServiceRepository services, RegistryRepository registry, FeatureGroupCache cache) {
        this.services = services;
        this.registry = registry;
        this.cache = cache;
    }

    /** A request's validated service: its parsed entries, in order. */
    record Draft(String name, String description, String owner, List<String> tags, List<ServiceRef> entries) {
    }

    /**
     * Checks every service of a registration against the registry as the transaction sees it (groups registered in
     * the same request included); every problem is listed.
     */
    List<Draft> validate(List<FeatureServiceSpec> specs) {
        Violations violations = new Violations();
        List<Draft> drafts = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            FeatureServiceSpec s = specs.get(i);
            String path = "featureServices[" + i + "]";
            if (s == null) {
                violations.add(path, ValidationRule.REQUIRED, "a feature service is required here, not null");
                continue;
            }
            if (s.name() == null || s.name().isBlank()) {
                violations.add(path + ".name", ValidationRule.REQUIRED, "name is required");
            } else if (!Names.isValid(s.name())) {
                violations.add(path + ".name", ValidationRule.NAME_PATTERN, "'" + s.name() + "' must match " + Names.PATTERN_TEXT);
            } else if (!names.add(s.name())) {
                violations.add(path + ".name", ValidationRule.DUPLICATE_SERVICE, "feature service '" + s.name() + "' appears twice in the request");
            }
            if (s.owner() != null && s.owner().length() > 255) {
                violations.add(path + ".owner", ValidationRule.TOO_LONG, "owner is longer than 255 characters");
            }
            List<String> given = s.tags() == null ? List.of() : s.tags();
            for (String tag : given) {
                if (tag == null || !Names.isValidTag(tag)) {
                    violations.add(path + ".tags", ValidationRule.TAG_PATTERN, "tag '" + tag + "' must match " + Names.TAG_PATTERN_TEXT);
                }
            }
            List<String> tags = new ArrayList<>(new TreeSet<>(given.stream().filter(java.util.Objects::nonNull).toList()));
            List<ServiceRef> entries = entries(path + ".features", s.features(), violations);
            drafts.add(new Draft(s.name(), s.description(), s.owner(), tags, entries));
        }
        violations.throwIfAny("The registration", false);
        return drafts;
    }

    private List<ServiceRef> entries(String path, List<String> features, Violations violations) {
        if (features == null || features.isEmpty()) {
            violations.add(path, ValidationRule.NO_FEATURES, "a feature service lists at least one entry: group, group.feature, group@2 or group@2.feature");
            return List.of();
        }
        if (features.size() > MAX_ENTRIES) {
            violations.add(path, ValidationRule.TOO_LONG, features.size() + " entries; a feature service holds at most " + MAX_ENTRIES);
            return List.of();
        }
        List<ServiceRef> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        java.util.Map<String, Optional<GroupSchema>> groups = new java.util.HashMap<>(); // one lookup per group version
        for (int j = 0; j < features.size(); j++) {
            String at = path + "[" + j + "]";
            ServiceRef ref;
            try {
                ref = ServiceRef.parse(features.get(j));
            } catch (InvalidArgumentException e) {
                violations.add(at, ValidationRule.REFERENCE_SYNTAX, e.getMessage());
                continue;
            }
            if (!seen.add(ref.toString())) {
                violations.add(at, ValidationRule.DUPLICATE_VALUE, "'" + ref + "' is listed twice");
                continue;
            }
            Optional<GroupSchema> group = groups.computeIfAbsent(ref.group() + "@" + ref.version(), k -> registry.schema(ref.group(), ref.version()));
            if (group.isEmpty()) {
                violations.add(at, ValidationRule.UNKNOWN_FEATURE, "feature group '" + ref.group() + "'"
                        + (ref.version() == 0 ? "" : " version " + ref.version()) + " is not registered");
            } else if (!ref.wholeGroup() && group.get().feature(ref.feature()).isEmpty()) {
                violations.add(at, ValidationRule.UNKNOWN_FEATURE, "feature '" + ref.feature() + "' is not in feature group '"
                        + ref.group() + "' version " + group.get().group().version());
            }
            out.add(ref);
        }
        return out;
    }

    /** Registers validated services (the caller holds their name locks); returns what happened to each. */
    List<ServiceOutcome> register(List<Draft> drafts, Instant now) {
        List<ServiceOutcome> out = new ArrayList<>();
        for (Draft d : drafts) {
            Optional<FeatureService> latest = services.find(d.name(), 0);
            if (latest.isEmpty()) {
                int next = services.lastVersion(d.name()) + 1; // never a number a deleted version had
                out.add(new ServiceOutcome(Action.CREATED, List.of(), services.insert(d.name(), next, d.description(), d.owner(), d.tags(),
                        d.entries(), now)));
                continue;
            }
            FeatureService before = latest.get();
            List<String> breaking = new ArrayList<>();
            List<String> compatible = new ArrayList<>();
            List<String> was = before.entries();
            List<String> now2 = d.entries().stream().map(ServiceRef::toString).toList();
            was.stream().filter(e -> !now2.contains(e)).forEach(e -> breaking.add("entry '" + e + "' removed"));
            now2.stream().filter(e -> !was.contains(e)).forEach(e -> compatible.add("entry '" + e + "' added"));
            // the entries kept must keep their order: answers list features in it (Feast's are positional)
            if (!now2.stream().filter(was::contains).toList().equals(was.stream().filter(now2::contains).toList())) {
                breaking.add("entries reordered");
            }
            compare(compatible, "description", before.description(), d.description());
            compare(compatible, "owner", before.owner(), d.owner());
            compare(compatible, "tags", before.tags(), d.tags());
            List<String> changes = new ArrayList<>(breaking);
            changes.addAll(compatible);
            if (!breaking.isEmpty()) {
                out.add(new ServiceOutcome(Action.NEW_VERSION, changes, services.insert(d.name(), before.version() + 1, d.description(),
                        d.owner(), d.tags(), d.entries(), now)));
            } else if (!compatible.isEmpty()) {
                out.add(new ServiceOutcome(Action.UPDATED, changes, services.update(before, d.description(), d.owner(), d.tags(),
                        d.entries(), now)));
            } else {
                out.add(new ServiceOutcome(Action.UNCHANGED, List.of(), before));
            }
        }
        return out;
    }

    private static void compare(List<String> changes, String what, Object before, Object after) {
        if (!java.util.Objects.equals(before, after)) {
            changes.add(what + " changed");
        }
    }

    /** The service version (0: the latest), straight from the database. */
    public Optional<FeatureService> find(String name, int version) {
        return services.find(name, version);
    }

    /** The service version (0: the latest) or FEATURE_SERVICE_NOT_FOUND saying which exist. */
    public FeatureService get(String name, int version) {
        return find(name, version).orElseThrow(() -> notFound(name, version));
    }

    QuiverException notFound(String name, int version) {
        List<Integer> versions = services.versions(name).stream().map(FeatureService::version).toList();
        return new QuiverException(ErrorCode.FEATURE_SERVICE_NOT_FOUND, versions.isEmpty()
                ? "no feature service '" + name + "' is registered; featureServices lists them"
                : "feature service '" + name + "' has no version " + version + "; its versions: " + versions);
    }

    /** A page of services, by name then version, after the cursor {@code name@version}. */
    public List<FeatureService> list(FeatureServiceFilter filter, int first, String after) {
        String afterName = "";
        int afterVersion = 0;
        if (after != null && !after.isBlank()) {
            int at = after.lastIndexOf('@');
            try {
                afterName = after.substring(0, at);
                afterVersion = Integer.parseInt(after.substring(at + 1));
            } catch (RuntimeException e) {
                throw new InvalidArgumentException("'" + after + "' is not a feature service cursor; pass the label (name@version) of the last one seen");
            }
        }
        if (filter != null && filter.feature() != null) {
            FeatureRef ref = FeatureRef.parse(filter.feature());
            Optional<GroupSchema> group = registry.schema(ref.group(), ref.version());
            boolean all = Boolean.TRUE.equals(filter.allVersions());
            String an = afterName;
            int av = afterVersion;
            return services.naming(ref.group(), all).stream()
                    .filter(s -> group.isPresent() && covers(s, group.get(), ref.feature()))
                    .filter(s -> s.name().compareTo(an) > 0 || s.name().equals(an) && s.version() > av)
                    .filter(s -> matches(s, filter))
                    .limit(first).toList();
        }
        return services.list(filter, first, afterName, afterVersion);
    }

    private static boolean matches(FeatureService s, FeatureServiceFilter f) {
        return (f.owner() == null || f.owner().equals(s.owner()))
                && (f.tags() == null || s.tags().containsAll(f.tags()))
                && (f.search() == null || (s.name() + " " + s.description() + " " + s.owner()).toLowerCase(java.util.Locale.ROOT)
                        .contains(f.search().toLowerCase(java.util.Locale.ROOT)));
    }

    private static boolean covers(FeatureService s, GroupSchema g, String feature) {
        return s.covers(g.group().name(), g.group().version(), g.group().latest(), feature);
    }

    /** Labels of service versions that name the group at one of the versions, or follow its latest when that is going. */
    List<String> naming(String group, List<Integer> versions, boolean latestDoomed, Set<String> newLatestFeatures) {
        return services.naming(group, true).stream()
                .filter(s -> s.refs().stream().anyMatch(r -> r.group().equals(group) && (r.version() == 0
                        ? latestDoomed && (newLatestFeatures == null || r.feature() != null && !newLatestFeatures.contains(r.feature()))
                        : versions.contains(r.version()))))
                .map(FeatureService::label).toList();
    }

    /** Deletes one version, or every version ({@code version} null). */
    List<Integer> delete(String name, Integer version) {
        List<Integer> all = services.versions(name).stream().map(FeatureService::version).toList();
        if (all.isEmpty() || version != null && !all.contains(version)) {
            throw notFound(name, version == null ? 0 : version);
        }
        List<Integer> doomed = version == null ? all : List.of(version);
        services.delete(name, doomed);
        return doomed;
    }

    /** What a read of a feature service asks for: the version read and its entries as feature references. */
    public record Selection(FeatureService service, List<String> references) {

        /** {@code name@version} of the service read; null when the read named none. */
        public String label() {
            return service == null ? null : service.label();
        }
    }

    /**
     * What a read asks for: the features of the service (when named) followed by the listed ones not already in it.
     *
     * @throws InvalidArgumentException when neither names a feature
     */
    public Selection select(List<String> features, String featureService) {
        List<String> listed = features == null ? List.of() : features;
        if (featureService == null) {
            if (listed.isEmpty()) {
                throw new InvalidArgumentException("name at least one feature to read (group.feature, ...) or a feature service (featureService)");
            }
            return new Selection(null, capped(listed, "the read"));
        }
        Selection service = expand(featureService);
        if (listed.isEmpty()) {
            return service;
        }
        Set<String> all = new LinkedHashSet<>(service.references());
        all.addAll(listed);
        return new Selection(service.service(), capped(List.copyOf(all), "the read"));
    }

    /**
     * The service's entries as feature references for the read paths, whole groups expanded into their features as
     * the group version now holds them; through the registry cache.
     *
     * @param reference {@code name} (the latest version) or {@code name@version}
     */
    public Selection expand(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new InvalidArgumentException("a feature service is named as name or name@version");
        }
        String name = reference.trim();
        int version = 0;
        int at = name.indexOf('@');
        if (at > 0) {
            try {
                version = Integer.parseInt(name.substring(at + 1).replaceFirst("^v", ""));
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("'" + reference + "' is not a feature service; write name or name@version");
            }
            name = name.substring(0, at);
        }
        if (!Names.isValid(name) || version < 0) {
            throw new InvalidArgumentException("'" + reference + "' is not a feature service; write name or name@version");
        }
        String n = name;
        int v = version;
        FeatureService service = cache.service(name, version).orElseThrow(() -> notFound(n, v));
        Set<String> refs = new LinkedHashSet<>();
        for (ServiceRef r : service.refs()) {
            if (!r.wholeGroup()) {
                refs.add(r.featureReference(r.feature()));
                continue;
            }
            GroupSchema g = cache.get(r.group(), r.version()).orElseThrow(() -> new QuiverException(ErrorCode.FEATURE_GROUP_NOT_FOUND,
                    "feature service '" + service.label() + "' lists feature group '" + r + "', which is not registered any more; "
                            + "re-register the service without it"));
            for (Feature f : g.features()) {
                refs.add(r.featureReference(f.name()));
            }
        }
        return new Selection(service, capped(List.copyOf(refs), service.label()));
    }

    /** At most {@link #MAX_ENTRIES} feature references per read, whatever whole groups expand into. */
    private static List<String> capped(List<String> references, String what) {
        if (references.size() > MAX_ENTRIES) {
            throw new InvalidArgumentException(what + " asks for " + references.size() + " features; a read takes at most " + MAX_ENTRIES
                    + ": split it");
        }
        return references;
    }
}
