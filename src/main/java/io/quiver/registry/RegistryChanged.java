package io.quiver.registry;

import java.util.Set;

/** Fired (observed after commit) when definitions of these group names changed. */
public record RegistryChanged(Set<String> groupNames) {
    public RegistryChanged {
        groupNames = Set.copyOf(groupNames);
    }
}
