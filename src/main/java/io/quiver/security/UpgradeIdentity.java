package io.quiver.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Subscriptions run on the I/O thread, where a lazily authenticated identity cannot be resolved (that may block):
 * so the WebSocket upgrade of {@code /graphql} resolves it first, without blocking, and leaves it (or the reason it
 * was refused) in the routing context, where {@link Callers} finds it. Its route comes after the one where Quarkus
 * sets up the request's (lazy) authentication and before the GraphQL handler.
 */
@ApplicationScoped
public class UpgradeIdentity {

    static final String RESOLVED = "quiver.identity";
    static final String REFUSED = "quiver.identity-refused";

    void register(@Observes Router router) {
        router.route("/graphql").order(-150).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        if (!"websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE))) {
            ctx.next();
            return;
        }
        QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(identity -> {
            ctx.put(RESOLVED, identity);
            ctx.next();
        }, failure -> {
            ctx.put(REFUSED, failure.getMessage() == null ? "the credential was refused" : failure.getMessage());
            ctx.next();
        });
    }

    /** The identity the upgrade resolved, or null. */
    static SecurityIdentity of(RoutingContext ctx) {
        return ctx == null ? null : ctx.get(RESOLVED);
    }
}
