package io.quiver.registry.model;

import org.eclipse.microprofile.graphql.Description;

/** What a caller does with a feature group's data, for per-group grants; writing includes reading. */
@Description("What a caller does with a feature group's data, for per-group grants; WRITE includes READ")
public enum GroupAction {
    @Description("See the group in the catalog and read its features, statistics, snapshots and metrics")
    READ,
    @Description("Write and materialize the group's data, and read it")
    WRITE;

    /** Whether a grant of this action allows {@code wanted}. */
    public boolean includes(GroupAction wanted) {
        return ordinal() >= wanted.ordinal();
    }

    /** For messages: {@code read}, {@code write}. */
    public String verb() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
