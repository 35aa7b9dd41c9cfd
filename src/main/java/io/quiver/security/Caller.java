package io.quiver.security;

import java.util.Set;
import java.util.stream.Collectors;

/** Who sent a request and what they may do. */
public record Caller(String principal, String name, Set<Role> roles, boolean open) {

    /** Whether the caller may do what {@code needed} allows (roles include the ones below them). */
    public boolean may(Role needed) {
        return open || roles.stream().anyMatch(r -> r.includes(needed));
    }

    /** For messages: {@code the API key 'ci' (key:abc)} and its roles. */
    public String describe() {
        return (name == null ? principal : "the API key '" + name + "' (" + principal + ")") + ", which has "
                + (roles.isEmpty() ? "no role" : "the role" + (roles.size() > 1 ? "s " : " ") + roles.stream().map(Role::id).sorted()
                        .collect(Collectors.joining(", ")));
    }
}
