package io.quiver.api.graphql;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

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

    public SecurityGraphQL(ApiKeys keys, Callers callers) {
        this.keys = keys;
        this.callers = callers;
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
