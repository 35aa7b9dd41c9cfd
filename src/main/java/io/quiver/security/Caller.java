package io.quiver.security;

import java.util.Set;
import java.util.stream.Collectors;

/** Who sent a request, what they may do, and the teams they belong to (for per-group grants). */
public record Caller(String principal, String name, Set<Role> roles, Set<String> teams, boolean open) {

    public Caller {
        roles = Set.copyOf(roles);
        teams = Set.copyOf(teams);
    }

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

    /** For messages: {@code the API key 'ci' (key:abc) and its teams a, b}. */
    public String who() {
        return (name == null ? principal : "the API key '" + name + "' (" + principal + ")")
                + (teams.isEmpty() ? ", which is in no team" : " and its team" + (teams.size() > 1 ? "s " : " ")
                        + teams.stream().sorted().collect(Collectors.joining(", ")));
    }
}
