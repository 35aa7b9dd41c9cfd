package io.quiver.api.http;

import java.util.UUID;
import java.util.regex.Pattern;

import org.jboss.logging.MDC;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gives every HTTP request an id: the caller's {@code X-Request-Id} when it is a short token, else a new one. It is
 * answered in the same header, put in the logging context (every log line of the request shows it) and in every
 * error a client sees, so that a client's report and the server log meet without the client ever seeing internals.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    /** The logging context key (and log format field {@code %X{requestId}}). */
    public static final String KEY = "requestId";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    void register(@Observes Filters filters) {
        filters.register(ctx -> {
            String given = ctx.request().getHeader(HEADER);
            String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
            MDC.put(KEY, id);
            ctx.put(KEY, id);
            ctx.response().putHeader(HEADER, id);
            ctx.next();
        }, 10_000);
    }

    /** The current request's id (from the logging context), or null outside a request. */
    public static String current() {
        Object id = MDC.get(KEY);
        return id == null ? null : id.toString();
    }
}
