package io.quiver.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quiver.error.QuiverException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a verified API key into an identity: principal {@code key:<id>}, its roles, its name as an attribute. A key
 * that does not verify gives an identity without roles that carries the reason ({@link #REFUSED}) instead of failing
 * the authentication: Quarkus would answer a failure with a bare 401 before any of Quiver's code, while this way
 * {@link Callers} refuses the request with UNAUTHENTICATED and the sentence saying why, as a GraphQL error or a
 * problem document like every other error.
 */
@ApplicationScoped
public class ApiKeyIdentityProvider implements IdentityProvider<ApiKeyRequest> {

    static final String KEY_NAME = "quiver.key-name";
    static final String REFUSED = "quiver.refused";
    static final String TEAMS = "quiver.teams";

    private final ApiKeys keys;

    public ApiKeyIdentityProvider(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Class<ApiKeyRequest> getRequestType() {
        return ApiKeyRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiKeyRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            ApiKeys.Verified v;
            try {
                v = keys.verify(request.key());
            } catch (QuiverException e) {
                return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("refused")).addAttribute(REFUSED, e.getMessage()).build();
            }
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("key:" + v.id()))
                    .addAttribute(KEY_NAME, v.name())
                    .addAttribute(TEAMS, v.teams());
            v.roles().forEach(r -> identity.addRole(r.id()));
            return identity.build();
        });
    }
}
