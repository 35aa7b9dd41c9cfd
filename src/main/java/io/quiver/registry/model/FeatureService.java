package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;

/**
 * A named, versioned list of features a model is trained and served with (Feast's FeatureService). Its entries are
 * whole groups or single features, each pinned to a group version or following the latest.
 */
@Description("A named, versioned list of features a model is trained and served with; serve it by name")
public record FeatureService(
        @Ignore long id,
        @Description("Service name") String name,
        @Description("Version: a breaking change (an entry removed or re-pinned) makes the next one") int version,
        @Description("Whether this is the latest version") boolean latest,
        @Description("What the service is for") String description,
        @Description("Who owns it") String owner,
        @Description("Tags") List<String> tags,
        @Description("Entries in order: group (all its features), group.feature, group@2 or group@2.feature") List<String> entries,
        @Description("When this version was registered") Instant createdAt,
        @Description("When this version was last changed") Instant updatedAt) {

    public FeatureService {
        requireNonNull(name, "name");
        tags = List.copyOf(tags);
        entries = List.copyOf(entries);
    }

    /** The entries, parsed. */
    public List<ServiceRef> refs() {
        return entries.stream().map(ServiceRef::parse).toList();
    }

    /** Whether an entry covers the feature of the group version ({@code latest}: it is the group's latest version). */
    public boolean covers(String group, int version, boolean latest, String feature) {
        return refs().stream().anyMatch(r -> r.covers(group, version, latest, feature));
    }

    /** {@code name@version}. */
    public String label() {
        return name + "@" + version;
    }
}
