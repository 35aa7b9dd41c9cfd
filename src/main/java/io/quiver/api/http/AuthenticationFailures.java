package io.quiver.api.http;

import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quiver.error.ErrorCode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A bearer token that does not verify (OIDC: wrong signature, issuer, audience, or expired) fails the request in
 * Quarkus' authentication, before any of Quiver's code: this answers it as UNAUTHENTICATED with a sentence instead of
 * a bare 401. The token is never echoed; why exactly it failed is in the service's debug log, not the answer.
 */
@ApplicationScoped
public class AuthenticationFailures {

    private final EdgeErrors errors;

    public AuthenticationFailures(EdgeErrors errors) {
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.route().order(-400).failureHandler(this::handle);
    }

    void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (!(failure instanceof AuthenticationFailedException || failure instanceof AuthenticationCompletionException) || ctx.response().ended()) {
            ctx.next();
            return;
        }
        errors.refuse(ctx, ErrorCode.UNAUTHENTICATED, "the bearer token was refused: it is not a valid, unexpired token of the configured "
                + "issuer for this service (its signature, issuer, audience and expiry are checked); get a new token, or send an API key",
                "WWW-Authenticate", "Bearer");
    }
}
