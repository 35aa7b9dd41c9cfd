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
import io.quiver.security.ApiKey;
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

    public SecurityGraphQL(ApiKeys keys, Callers callers, AuditLog audit, io.quiver.config.QuiverConfig config) {
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
            @Description("True when the instance runs open: every request may do everything") boolean open) {
    }

    @Requires(Role.READER)
    @Query("me")
    @Description("The caller: principal, key name and roles")
    public @NonNull Me me() {
        io.quiver.security.Caller c = callers.current();
        return new Me(c.principal(), c.name(), c.roles().stream().sorted().toList(), c.open());
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
            @Description("When it stops working; none: never") Instant expiresAt) {
        return keys.create(name, owner, roles, expiresAt, callers.current().principal());
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
}
