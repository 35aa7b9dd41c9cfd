package io.quiver.registry;

import java.util.Set;

/**
 * Groups another replica changed, as this replica's change listener learned it (after its commit there); empty when
 * the listener cannot know which (it reconnected, or too many changed at once). This replica's cache has already
 * dropped them.
 */
public record RegistryChangedElsewhere(Set<String> groupNames) {
    public RegistryChangedElsewhere {
        groupNames = Set.copyOf(groupNames);
    }
}
