package io.quiver.api.graphql;

import org.jboss.logging.Logger;

import io.quiver.api.http.Redaction;
import io.quiver.error.Failures;
import io.quiver.error.QuiverException;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * The one place GraphQL failures are mapped: a {@link QuiverException} becomes a {@link GraphQLFailure} carrying
 * its code; anything else is logged with its stack trace and classified by {@link Failures} (registry outage or
 * INTERNAL_ERROR with a generic message).
 */
@TranslateErrors
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER)
public class ErrorTranslator {

    private static final Logger LOG = Logger.getLogger(ErrorTranslator.class);

    @Inject
    Redaction redaction;

    @Inject
    io.quiver.api.http.ApiMetrics metrics;

    @AroundInvoke
    Object translate(InvocationContext ctx) throws Exception {
        long started = System.nanoTime();
        try {
            return ctx.proceed();
        } catch (QuiverException e) {
            metrics.error("graphql", e.code());
            if (e.code() == io.quiver.error.ErrorCode.SERVICE_BUSY) {
                LOG.warnf("GraphQL %s refused: %s", ctx.getMethod().getName(), e.getMessage());
            } else if (e.code().httpStatus() >= 500) {
                LOG.errorf(e, "GraphQL %s failed with %s", ctx.getMethod().getName(), e.code());
            }
            throw new GraphQLFailure(e, redaction);
        } catch (RuntimeException e) {
            QuiverException failure = Failures.classify(e);
            metrics.error("graphql", failure.code());
            LOG.errorf(e, "GraphQL %s failed with %s", ctx.getMethod().getName(), failure.code());
            throw new GraphQLFailure(failure, redaction);
        } finally {
            metrics.operation("graphql", ctx.getMethod().getName()).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }
}
