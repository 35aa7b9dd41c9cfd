package io.quiver.api.http;

import io.quiver.error.ErrorCode;
import io.quiver.security.ApiKeys;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * On a secured instance, a request with a body to the REST API ({@code /api/v1/}, {@code /get-online-features}) that
 * carries no credential at all is refused before its body is read: a multipart body is otherwise stored whole on disk
 * by the HTTP layer before the operation's role check runs. Requests with a credential go on to be checked as usual.
 */
@ApplicationScoped
public class CredentialsFirst {

    private final ApiKeys keys;
    private final EdgeErrors errors;

    public CredentialsFirst(ApiKeys keys, EdgeErrors errors) {
        this.keys = keys;
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.route().order(-290).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String path = ctx.normalizedPath();
        boolean withBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        if (keys.open() || !withBody || !(path.startsWith("/api/v1/") || path.equals("/get-online-features"))
                || ApiKeys.presented(ctx.request().getHeader("X-API-Key"), ctx.request().getHeader("Authorization")) != null) {
            ctx.next();
            return;
        }
        errors.refuse(ctx, ErrorCode.UNAUTHENTICATED, "this request carries no API key: send one as 'Authorization: Bearer <key>' or "
                + "'X-API-Key: <key>' (an admin creates keys with createApiKey)", "WWW-Authenticate", "Bearer");
    }
}
