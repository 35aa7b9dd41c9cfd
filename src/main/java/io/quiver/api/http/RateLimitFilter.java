package io.quiver.api.http;

import java.util.Map;

import io.quiver.security.ApiKeys;
import io.quiver.security.RateLimits;
import io.vertx.core.http.HttpHeaders;
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
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public RateLimitFilter(RateLimits limits, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.limits = limits;
        this.mapper = mapper;
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
        String message = "too many requests from this " + (key != null ? "API key" : "client") + ": retry after " + wait
                + " s (the limit is per caller and replica; ask an operator to raise quiver.security.rate-limit if it is too low)";
        Object body = path.equals("/graphql") || path.startsWith("/graphql/")
                ? Map.of("errors", java.util.List.of(Map.of("message", message, "extensions", Map.of("code", "RATE_LIMITED", "requestId", RequestIds.current()))))
                : new java.util.LinkedHashMap<>(Map.of("type", "urn:quiver:error:rate_limited", "title", "Rate limited", "status", 429,
                        "detail", message, "code", "RATE_LIMITED", "instance", path));
        String type = body instanceof java.util.LinkedHashMap ? "application/problem+json" : "application/json";
        try {
            ctx.response().setStatusCode(429).putHeader("Retry-After", Long.toString(wait)).putHeader(HttpHeaders.CONTENT_TYPE, type)
                    .end(mapper.writeValueAsString(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
