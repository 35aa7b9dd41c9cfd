package io.quiver.api.graphql;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import io.quiver.audit.AuditEntry;
import io.quiver.audit.AuditLog;
import io.quiver.error.InvalidArgumentException;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.Source;

import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupAction;
import io.quiver.security.ApiKey;
import io.quiver.security.Grant;
import io.quiver.security.Grants;
import io.quiver.security.GroupAccess;
import io.quiver.security.ApiKeys;
import io.quiver.security.Callers;
import io.quiver.security.CreatedApiKey;
import io.quiver.security.Requires;
import io.quiver.security.Role;

/** GraphQL adapter for API keys and the caller's own identity. */
@GraphQLApi
@TranslateErrors
public class SecurityGraphQL {

    private final ApiKeys keys;
    private final Callers callers;
    private final AuditLog audit;
    private final int maxPage;
    private final Grants grants;
    private final GroupAccess access;

    public SecurityGraphQL(ApiKeys keys, Callers callers, AuditLog audit, io.quiver.config.QuiverConfig config, Grants grants,
            GroupAccess access) {
        this.grants = grants;
        this.access = access;
        this.keys = keys;
        this.callers = callers;
        this.audit = audit;
        this.maxPage = config.registry().maxPageSize();
    }

    /** Which audit entries to list; every field optional. */
    @Input("AuditFilter")
    @Description("Which audit entries to list; absent fields match everything")
    public record AuditFilterInput(@Description("Exactly this principal, e.g. key:<id>") String principal,
            @Description("Exactly this action, e.g. REGISTER") String action,
            @Description("Targets starting with this, e.g. a group name") String target,
            @Description("SUCCEEDED, DENIED or FAILED") String outcome,
            @Description("At or after this time") Instant from, @Description("Before this time") Instant to) {
    }

    @Requires(Role.ADMIN)
    @Query("auditLog")
    @Description("The audit trail, newest first: who registered, wrote, deleted, forced a strategy, materialized, expired or compacted, "
            + "changed a data source or an API key, when, from where, under which request, with what outcome")
    public @NonNull List<@NonNull AuditEntry> auditLog(@Description("Which entries") AuditFilterInput filter,
            @Description("Most entries to return") @DefaultValue("100") int first,
            @Description("Only entries older than this id (the last id of the previous page)") Long after) {
        if (first < 1 || first > maxPage) {
            throw new InvalidArgumentException("first must be between 1 and " + maxPage + ", not " + first);
        }
        AuditLog.Filter f = filter == null ? null : new AuditLog.Filter(filter.principal(), filter.action(), filter.target(), filter.outcome(),
                filter.from(), filter.to());
        return audit.list(f, first, after);
    }

    /** Who the caller is, as the service sees it. */
    @Description("Who sent this request and what it may do")
    public record Me(@Description("key:<id> for an API key; anonymous when the instance is open") String principal, @Description("The key's name, for API keys") String name, @Description("What the caller may do") List<Role> roles,
            @Description("The teams the caller belongs to (for owner teams and grants)") List<String> teams,
            @Description("True when the instance runs open: every request may do everything") boolean open) {
    }

    @Requires(Role.READER)
    @Query("me")
    @Description("The caller: principal, key name and roles")
    public @NonNull Me me() {
        io.quiver.security.Caller c = callers.current();
        return new Me(c.principal(), c.name(), c.roles().stream().sorted().toList(), c.teams().stream().sorted().toList(), c.open());
    }

    @Requires(Role.ADMIN)
    @Query("apiKeys")
    @Description("Every API key (never their secrets), oldest first")
    public @NonNull List<@NonNull ApiKey> apiKeys() {
        return keys.list();
    }

    @Requires(Role.ADMIN)
    @Mutation("createApiKey")
    @Description("Creates an API key and shows its text this once")
    public @NonNull CreatedApiKey createApiKey(@Description("What or who uses it, 1 to 100 characters") @NonNull String name,
            @Description("The person or team it is for") String owner, @Description("Its roles; each includes the ones below it") @NonNull List<@NonNull Role> roles,
            @Description("The teams it belongs to (owner teams and grants name them); at most 20") List<String> teams,
            @Description("When it stops working; none: never") Instant expiresAt) {
        return keys.create(name, owner, roles, teams, expiresAt, callers.current().principal());
    }

    @Requires(Role.ADMIN)
    @Mutation("rotateApiKey")
    @Description("Replaces a key's secret and shows the new text this once; the old text stops working")
    public @NonNull CreatedApiKey rotateApiKey(@Description("The key's id") @NonNull String id) {
        return keys.rotate(id);
    }

    @Requires(Role.ADMIN)
    @Mutation("revokeApiKey")
    @Description("Revokes a key for good")
    public @NonNull ApiKey revokeApiKey(@Description("The key's id") @NonNull String id) {
        return keys.revoke(id);
    }

    @Requires(Role.ADMIN)
    @Query("grants")
    @Description("Every per-group grant, by name")
    public @NonNull List<@NonNull Grant> grants() {
        return grants.list();
    }

    @Requires(Role.ADMIN)
    @Mutation("grantAccess")
    @Description("Lets principals or teams read (or write) the groups whose name matches a pattern and that carry every tag; "
            + "a group a grant covers is no longer open to every key with the role (grants are by group name, so new versions inherit them)")
    public @NonNull Grant grantAccess(@Description("A unique name for the grant") @NonNull String name,
            @Description("Group names it covers: one name, or a pattern with * (any text) and ? (one character)") @NonNull String groups,
            @Description("Only groups carrying every one of these tags") List<String> tags,
            @Description("Principals: key:<id> for an API key, oidc:<subject> for a token") List<String> principals,
            @Description("Teams (a key's teams, a token's team claim)") List<String> teams,
            @Description("READ, or WRITE (which includes READ)") @NonNull GroupAction action) {
        return grants.grant(name, groups, tags, principals, teams, action, callers.current().principal());
    }

    @Requires(Role.ADMIN)
    @Mutation("revokeGrant")
    @Description("Removes a grant; returns it")
    public @NonNull Grant revokeGrant(@Description("The grant's name") @NonNull String name) {
        return grants.revoke(name);
    }

    @Requires(Role.ADMIN)
    @Mutation("setGroupOwnerTeam")
    @Description("Sets the team that owns every version of a group (its members may read and write it; others need a grant); "
            + "null clears it. Returns the owner team now.")
    public String setGroupOwnerTeam(@Description("Group name") @NonNull String group, @Description("The team; null clears it") String team) {
        return grants.setOwnerTeam(group, team, callers.current().principal());
    }

    @Name("ownerTeam")
    @Description("The team that owns the group (every version): its members may read and write it; null for none")
    public List<String> ownerTeam(@Source List<FeatureGroup> groups) {
        return groups.stream().map(g -> access.ownerTeam(g.name())).toList();
    }
}
