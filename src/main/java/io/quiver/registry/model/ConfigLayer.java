package io.quiver.registry.model;

import org.eclipse.microprofile.graphql.Description;

/** Where a resolved setting came from; the most specific layer wins. */
@Description("Where a resolved setting came from; the most specific layer wins")
public enum ConfigLayer {
    @Description("quiver.* configuration (or a value derived from it when the version was registered)")
    GLOBAL,
    @Description("The feature group's definition")
    GROUP,
    @Description("The feature's definition")
    FEATURE
}
