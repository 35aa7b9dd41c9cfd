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
 * <p>
 * A browser cannot put a header on a WebSocket, only subprotocols: so an API key may also come as the subprotocol
 * {@code x-api-key.<key>} (as Kubernetes takes bearer tokens). It becomes the request's {@code X-API-Key} (unless
 * one was sent) and is removed from the offered subprotocols, so the handshake agrees on the GraphQL one.
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
        keyFromSubprotocol(ctx);
        QuarkusHttpUser.getSecurityIdentity(ctx, null).subscribe().with(identity -> {
            ctx.put(RESOLVED, identity);
            ctx.next();
        }, failure -> {
            ctx.put(REFUSED, failure.getMessage() == null ? "the credential was refused" : failure.getMessage());
            ctx.next();
        });
    }

    static final String KEY_SUBPROTOCOL = "x-api-key.";
    static final String PROTOCOLS = "Sec-WebSocket-Protocol";

    /** Moves a key offered as a subprotocol into the X-API-Key header (see the class comment). */
    static void keyFromSubprotocol(RoutingContext ctx) {
        String offered = ctx.request().getHeader(PROTOCOLS);
        if (offered == null || !offered.contains(KEY_SUBPROTOCOL)) {
            return;
        }
        java.util.List<String> kept = new java.util.ArrayList<>();
        String key = null;
        for (String p : offered.split(",")) {
            String protocol = p.trim();
            if (protocol.startsWith(KEY_SUBPROTOCOL)) {
                key = protocol.substring(KEY_SUBPROTOCOL.length());
            } else if (!protocol.isEmpty()) {
                kept.add(protocol);
            }
        }
        ctx.request().headers().set(PROTOCOLS, String.join(", ", kept));
        if (key != null && !key.isEmpty() && ctx.request().getHeader(ApiKeyMechanism.HEADER) == null) {
            ctx.request().headers().set(ApiKeyMechanism.HEADER, key);
        }
    }

    /** The identity the upgrade resolved, or null. */
    static SecurityIdentity of(RoutingContext ctx) {
        return ctx == null ? null : ctx.get(RESOLVED);
    }
}
