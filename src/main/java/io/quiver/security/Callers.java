package io.quiver.security;

import java.util.EnumSet;
import java.util.Set;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller of the current request, from its identity (an API key or an OIDC token) or the open mode. */
@ApplicationScoped
public class Callers {

    private final CurrentIdentityAssociation identities;
    private final ApiKeys keys;
    private final io.quarkus.vertx.http.runtime.CurrentVertxRequest request;

    private final String teamClaim;

    public Callers(CurrentIdentityAssociation identities, ApiKeys keys, io.quarkus.vertx.http.runtime.CurrentVertxRequest request,
            io.quiver.config.QuiverConfig config) {
        this.teamClaim = config.security().oidcTeamClaim();
        this.identities = identities;
        this.keys = keys;
        this.request = request;
    }

    /**
     * The caller of the current request.
     *
     * @throws QuiverException UNAUTHENTICATED when the request has no usable credential (and the instance is not open)
     */
    public Caller current() {
        if (keys.open()) {
            return new Caller("anonymous", null, EnumSet.allOf(Role.class), Set.of(), true);
        }
        SecurityIdentity identity;
        if (!io.quarkus.runtime.BlockingOperationControl.isBlockingAllowed()) {
            // the I/O thread (a subscription): the identity its WebSocket upgrade resolved
            var current = request.getCurrent();
            String refused = current == null ? null : current.get(UpgradeIdentity.REFUSED);
            if (refused != null) {
                throw new QuiverException(ErrorCode.UNAUTHENTICATED, refused);
            }
            identity = UpgradeIdentity.of(current);
            return of(identity);
        }
        try {
            identity = identities.getIdentity();
        } catch (AuthenticationFailedException e) {
            throw new QuiverException(ErrorCode.UNAUTHENTICATED, e.getMessage() == null ? "the credential was refused" : e.getMessage());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof AuthenticationFailedException a) {
                throw new QuiverException(ErrorCode.UNAUTHENTICATED, a.getMessage() == null ? "the credential was refused" : a.getMessage());
            }
            throw e;
        }
        return of(identity);
    }

    /** Whether the current operation came over a WebSocket of /graphql (its upgrade resolved the caller). */
    public boolean overWebSocket() {
        try {
            var current = request.getCurrent();
            return current != null && (current.get(UpgradeIdentity.RESOLVED) != null || current.get(UpgradeIdentity.REFUSED) != null);
        } catch (RuntimeException e) {
            return false; // no HTTP request behind this call
        }
    }

    private Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            throw new QuiverException(ErrorCode.UNAUTHENTICATED, "this request carries no API key: send one as 'Authorization: Bearer <key>' or "
                    + "'X-API-Key: <key>' (an admin creates keys with createApiKey)");
        }
        String refused = identity.getAttribute(ApiKeyIdentityProvider.REFUSED);
        if (refused != null) {
            throw new QuiverException(ErrorCode.UNAUTHENTICATED, refused);
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        identity.getRoles().stream().map(Role::of).filter(java.util.Objects::nonNull).forEach(roles::add);
        String keyName = identity.getAttribute(ApiKeyIdentityProvider.KEY_NAME);
        // an API key is key:<id>; anything else is a token's subject, named so in messages and the audit trail
        String principal = keyName != null ? identity.getPrincipal().getName() : "oidc:" + identity.getPrincipal().getName();
        Set<String> teams = keyName != null ? identity.getAttribute(ApiKeyIdentityProvider.TEAMS) : tokenTeams(identity);
        return new Caller(principal, keyName, roles, teams == null ? Set.of() : teams, false);
    }

    /** The teams a token's team claim lists (a JSON array or one string). */
    private Set<String> tokenTeams(SecurityIdentity identity) {
        if (!(identity.getPrincipal() instanceof org.eclipse.microprofile.jwt.JsonWebToken token)) {
            return Set.of();
        }
        Object claim = token.getClaim(teamClaim);
        if (claim instanceof jakarta.json.JsonArray array) {
            Set<String> out = new java.util.HashSet<>();
            array.forEach(v -> out.add(v instanceof jakarta.json.JsonString s ? s.getString() : v.toString()));
            return out;
        }
        if (claim instanceof java.util.Collection<?> list) {
            return list.stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet());
        }
        if (claim instanceof jakarta.json.JsonString s) {
            return Set.of(s.getString());
        }
        return claim == null ? Set.of() : Set.of(claim.toString());
    }

}
