package io.quiver.security;

import java.util.Locale;

/** What a caller may do; each role includes the ones before it. */
@org.eclipse.microprofile.graphql.Description("What a caller may do; each role includes the ones before it")
public enum Role {
    /** Catalog and feature reads: queries, online and historical features, training sets, virtual tables. */
    @org.eclipse.microprofile.graphql.Description("Catalog and feature reads")
    READER,
    /** Writes and materialization, on top of reading. */
    @org.eclipse.microprofile.graphql.Description("Writes and materialization, and reading")
    WRITER,
    /** Registration, deletion, maintenance, strategies, API keys, on top of writing. */
    @org.eclipse.microprofile.graphql.Description("Registration, deletion, maintenance, strategies and API keys, and writing")
    ADMIN;

    /** The role's name as identities carry it ({@code reader}, {@code writer}, {@code admin}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether holding this role allows what {@code needed} allows. */
    public boolean includes(Role needed) {
        return ordinal() >= needed.ordinal();
    }

    /** The role named {@code id} (any case), or null. */
    public static Role of(String id) {
        for (Role r : values()) {
            if (r.id().equalsIgnoreCase(id)) {
                return r;
            }
        }
        return null;
    }
}
