package io.quiver.security;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Type;

/** An API key as admins see it: everything but the secret. */
@Type("ApiKey")
@Description("An API key; its secret is shown once, when it is created or rotated")
public record ApiKey(
        @Description("Sent as part of the key (qvk_<id>_<secret>); names it in the audit and in errors") String id,
        @Description("What or who uses the key") String name,
        @Description("Who the key is for: a person or a team") String owner,
        @Description("What the key may do; each role includes the ones below it") List<Role> roles,
        @Description("The teams the key belongs to: owner teams and grants name them") List<String> teams,
        @Description("The principal that created the key") String createdBy,
        Instant createdAt,
        @Description("After this the key is refused; null: never") Instant expiresAt,
        @Description("When the secret was last replaced (the old one stopped working then)") Instant rotatedAt,
        Instant revokedAt,
        @Description("Last request the key authenticated (recorded at most once a minute)") Instant lastUsedAt,
        @Description("Whether the key works now") Status status) {

    @org.eclipse.microprofile.graphql.Name("ApiKeyStatus")
    @Description("Whether an API key works now")
    public enum Status {
        @Description("It authenticates requests")
        ACTIVE,
        @Description("Its expiry has passed")
        EXPIRED,
        @Description("An admin revoked it")
        REVOKED
    }
}
