package io.quiver.registry.model;

import org.eclipse.microprofile.graphql.Description;

/** Lifecycle state of one version of a feature group. */
@Description("Lifecycle state of one version of a feature group")
public enum GroupStatus {
    @Description("In use")
    ACTIVE,
    @Description("Still readable, but consumers should move to another group or version")
    DEPRECATED
}
