package io.quiver.api.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.quiver.error.InvalidArgumentException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * What one HTTP request has used of a per-request allowance, over all its parts: a GraphQL document may ask for the
 * same field many times under aliases, and each alias alone may be within its limit while together they are not.
 * Kept on the request's Vert.x context (every resolver of the request runs on it); outside a request nothing is
 * counted.
 */
public final class RequestBudget {

    private static final String KEY = "quiver.request.budget";

    private final ConcurrentHashMap<String, AtomicLong> used = new ConcurrentHashMap<>();

    private RequestBudget() {
    }

    /**
     * Counts {@code amount} of {@code what} against {@code max} for the current request.
     *
     * @param hint what to do instead, for the error
     * @throws InvalidArgumentException naming the limit when the request would exceed it
     */
    public static void take(String what, long amount, long max, String setting, String hint) {
        long total = amount;
        Context context = Vertx.currentContext();
        if (context != null) {
            RequestBudget budget = context.getLocal(KEY);
            if (budget == null) {
                budget = new RequestBudget();
                context.putLocal(KEY, budget);
            }
            total = budget.used.computeIfAbsent(what, k -> new AtomicLong()).addAndGet(amount);
        }
        if (total > max) {
            throw new InvalidArgumentException("one request may use at most " + max + " " + what + " (" + setting + "), over all its parts "
                    + "(aliases included); this one asks for " + total + "; " + hint);
        }
    }
}
