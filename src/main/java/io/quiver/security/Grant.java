package io.quiver.security;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Type;

import io.quiver.registry.model.GroupAction;

/**
 * Who may read or write which feature groups: the groups whose name matches {@code groups} (a pattern where
 * {@code *} is any text and {@code ?} one character) and whose latest version carries every one of {@code tags}.
 */
@Type("Grant")
@Description("Who may read or write which feature groups: those whose name matches the pattern and that carry every tag")
public record Grant(
        @Description("The grant's name, unique") String name,
        @Description("Group names it covers: * is any text, ? one character (e.g. fraud_*, or one exact name)") String groups,
        @Description("It covers only groups carrying every one of these tags (latest version); empty: any") List<String> tags,
        @Description("Principals it grants to: key:<id> for an API key, oidc:<subject> for a token") List<String> principals,
        @Description("Teams it grants to (a key's teams, a token's team claim)") List<String> teams,
        @Description("What it allows; WRITE includes READ") GroupAction action,
        @Description("The principal that made it") String createdBy,
        Instant createdAt) {

    public Grant {
        tags = List.copyOf(tags);
        principals = List.copyOf(principals);
        teams = List.copyOf(teams);
    }


    /** Whether it grants {@code action} to the caller (by principal or one of its teams). */
    public boolean grants(Caller caller, GroupAction wanted) {
        return action.includes(wanted) && (principals.contains(caller.principal()) || teams.stream().anyMatch(caller.teams()::contains));
    }

    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString());
    }
}
