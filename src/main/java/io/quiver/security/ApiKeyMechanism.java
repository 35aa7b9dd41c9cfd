package io.quiver.security;

import java.util.Optional;
import java.util.Set;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads an API key from {@code X-API-Key} or {@code Authorization: Bearer qvk_...}; other bearer tokens are left to
 * OIDC when it is on (and are malformed keys when it is not). A request without one is anonymous (what that may do is {@link AccessCheck}'s decision); an open instance without a key secret ignores keys.
 */
@ApplicationScoped
public class ApiKeyMechanism implements HttpAuthenticationMechanism {

    static final String HEADER = "X-API-Key";

    private final ApiKeys keys;
    private final boolean oidc;

    public ApiKeyMechanism(ApiKeys keys,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false") boolean oidc) {
        this.keys = keys;
        this.oidc = oidc;
    }

    /** Before OIDC's mechanism, so that a key sent as a bearer token is never taken for a JWT. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String key = key(context.request().getHeader(HEADER), context.request().getHeader("Authorization"));
        if (key != null && context.request().getHeader(HEADER) == null && oidc && !ApiKeyFormat.looksLikeKey(key)) {
            return Uni.createFrom().optional(Optional.empty()); // a bearer token that is not a key: OIDC's
        }
        if (key == null || !keys.usesKeys()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        return identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiKeyRequest(key), context));
    }

    /** The key a request sent: X-API-Key wins; else a bearer token (every bearer token, until OIDC takes the others). */
    static String key(String apiKeyHeader, String authorization) {
        if (apiKeyHeader != null && !apiKeyHeader.isBlank()) {
            return apiKeyHeader.trim();
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = authorization.substring(7).trim();
            return token.isEmpty() ? null : token;
        }
        return null;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }
}
