package io.quiver.config;

import org.eclipse.microprofile.graphql.Description;

/** Where a resolved setting came from; the most specific layer wins. */
@Description("Where a resolved setting came from; the most specific layer wins")
public enum ConfigLayer {
    GLOBAL, GROUP, FEATURE
}
