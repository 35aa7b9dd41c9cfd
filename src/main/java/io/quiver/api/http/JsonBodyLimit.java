package io.quiver.api.http;

import java.util.Set;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quiver.config.QuiverConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The request body limit of the REST routes that take JSON ({@code /get-online-features}, virtual table queries): the declared length is
 * checked before a byte is read (413 beyond {@code quiver.api.max-json-body}), and a body without a declared length
 * is refused (411), so that the large limit meant for bulk Arrow and Parquet uploads never lets a JSON body fill the
 * heap. {@code /graphql} reads its body through a bounded body handler of its own ({@link GraphQLOverHttp}).
 */
@ApplicationScoped
public class JsonBodyLimit {

    private static final Set<String> JSON_ROUTES = Set.of("/get-online-features", "/api/v1/serving/online", "/api/v1/serving/historical");
    /** Routes that take JSON or a bulk body: limited when the body is JSON. */
    private static final Set<String> MIXED_ROUTES = Set.of("/api/v1/historical-features");

    private final long max;

    public JsonBodyLimit(QuiverConfig config) {
        this.max = config.api().maxJsonBody();
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, 9_000);
    }

    private void check(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        boolean json = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
        if (ctx.request().method() != HttpMethod.POST || !(JSON_ROUTES.contains(ctx.normalizedPath())
                || json && MIXED_ROUTES.contains(ctx.normalizedPath()) || ctx.normalizedPath().startsWith("/api/v1/virtual-tables/"))) {
            ctx.next();
            return;
        }
        String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            Problems.send(ctx, 411, "INVALID_ARGUMENT", "send the JSON body with a Content-Length (chunked bodies are not accepted here)");
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            Problems.send(ctx, 400, "INVALID_ARGUMENT", "Content-Length must be a number of bytes");
            return;
        }
        if (declared > max) {
            Problems.send(ctx, 413, "REQUEST_TOO_LARGE", "the request body has " + declared + " bytes; " + ctx.normalizedPath()
                    + " accepts at most " + max + " (quiver.api.max-json-body): split the request");
            return;
        }
        ctx.next();
    }
}
