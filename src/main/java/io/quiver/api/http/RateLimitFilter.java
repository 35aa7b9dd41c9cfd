package io.quiver.api.http;

import io.quiver.security.ApiKeys;
import io.quiver.security.RateLimits;
import io.quiver.error.ErrorCode;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Applies {@link RateLimits} to every API request before anything else reads it (health, metrics and the other
 * {@code /q/} routes are not limited): over the limit, 429 with Retry-After, as a GraphQL error on {@code /graphql}
 * and a problem document elsewhere.
 */
@ApplicationScoped
public class RateLimitFilter {

    private final RateLimits limits;
    private final EdgeErrors errors;

    public RateLimitFilter(RateLimits limits, EdgeErrors errors) {
        this.limits = limits;
        this.errors = errors;
    }

    void register(@Observes Router router) {
        router.route().order(-300).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        if (path.startsWith("/q/")) {
            ctx.next();
            return;
        }
        String key = ApiKeys.presented(ctx.request().getHeader("X-API-Key"), ctx.request().getHeader("Authorization"));
        String address = ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
        long wait = limits.acquire(key, address);
        if (wait == 0) {
            ctx.next();
            return;
        }
        errors.refuse(ctx, ErrorCode.RATE_LIMITED, "too many requests from this " + (key != null ? "API key" : "client") + ": retry after "
                + wait + " s (the limit is per caller and replica; ask an operator to raise quiver.security.rate-limit if it is too low)",
                "Retry-After", Long.toString(wait));
    }
}
