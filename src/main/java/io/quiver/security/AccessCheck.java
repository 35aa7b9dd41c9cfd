package io.quiver.security;

import java.lang.reflect.Method;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.quiver.audit.AuditContext;
import io.quiver.audit.AuditLog;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * Checks the role an operation {@link Requires} before it runs: no usable credential is UNAUTHENTICATED, a caller
 * without the role is FORBIDDEN, each with a sentence saying what is missing. An open instance lets everything
 * through. The caller is the operation's {@link AuditContext} actor and its {@link GroupAccess} caller (per-group
 * grants) while it runs, so the changes it makes are
 * audited in their own transactions under its name; an operation that needs more than reading and is refused or
 * fails is audited here (DENIED or FAILED). Runs inside the API's error translation, so the answers are ordinary
 * API errors.
 */
@Requires(Role.READER)
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 10)
public class AccessCheck {

    private static final Logger LOG = Logger.getLogger(AccessCheck.class);

    @Inject
    Callers callers;

    @Inject
    AuditLog audit;

    @Inject
    CurrentVertxRequest request;

    @AroundInvoke
    Object check(InvocationContext ctx) throws Exception {
        Role needed = needed(ctx.getMethod());
        String action = action(ctx.getMethod());
        if (callers.overWebSocket() && ctx.getMethod().getAnnotation(io.smallrye.graphql.api.Subscription.class) == null) {
            // the socket's caller was checked when it opened: queries and mutations go over HTTP, checked each time (refused
            // before the caller is looked up: a worker thread has no identity of the socket's to wait for)
            throw new QuiverException(ErrorCode.INVALID_ARGUMENT, "'" + ctx.getMethod().getName() + "' was sent over the WebSocket, which "
                    + "carries subscriptions only; send queries and mutations as HTTP requests to /graphql");
        }
        Caller caller;
        try {
            caller = callers.current();
        } catch (QuiverException e) {
            // not audited: anyone can send these, so rows of them would have no bound; they are logged and counted
            LOG.debugf("refused %s without a usable credential: %s", action, e.getMessage());
            throw e;
        }
        AuditContext.Actor actor = new AuditContext.Actor(caller.principal(), caller.name(), address(), requestId());
        if (!caller.may(needed)) {
            QuiverException denied = new QuiverException(ErrorCode.FORBIDDEN, "'" + ctx.getMethod().getName() + "' needs the " + needed.id()
                    + " role, and " + caller.describe() + "; ask an admin for a key with the " + needed.id() + " role");
            attempted(needed, actor, action, ctx, AuditLog.DENIED, denied.getMessage());
            throw denied;
        }
        AuditContext.Actor before = AuditContext.enter(actor);
        Caller callerBefore = GroupAccess.enter(caller);
        try {
            return ctx.proceed();
        } catch (Exception e) {
            boolean refused = e instanceof QuiverException q && q.code() == ErrorCode.FORBIDDEN; // by a group's grants
            attempted(needed, actor, action, ctx, refused ? AuditLog.DENIED : AuditLog.FAILED, e instanceof QuiverException q
                    ? q.code() + ": " + q.getMessage() : e.getClass().getSimpleName());
            throw e;
        } finally {
            GroupAccess.restore(callerBefore);
            AuditContext.restore(before);
        }
    }

    /** Records a refused or failed change; reads are not audited. Never fails the request (the answer is an error already). */
    private void attempted(Role needed, AuditContext.Actor actor, String action, InvocationContext ctx, String outcome, String detail) {
        if (needed == Role.READER) {
            return;
        }
        try {
            Object[] args = ctx.getParameters();
            String target = args.length > 0 && args[0] instanceof String s ? s : null;
            audit.attempted(actor, action, target, outcome, detail);
        } catch (RuntimeException e) {
            LOG.warnf("could not audit the %s %s of %s: %s", outcome, action, actor.principal(), e.getMessage());
        }
    }

    private String address() {
        try {
            var current = request.getCurrent();
            return current == null || current.request().remoteAddress() == null ? null : current.request().remoteAddress().hostAddress();
        } catch (RuntimeException e) {
            return null; // no HTTP request behind this call
        }
    }

    private static String requestId() {
        Object id = MDC.get("requestId");
        return id == null ? null : id.toString();
    }

    static Role needed(Method m) {
        Requires r = m.getAnnotation(Requires.class);
        if (r == null) {
            r = m.getDeclaringClass().getAnnotation(Requires.class);
        }
        return r == null ? Role.ADMIN : r.value();
    }

    /** The audit action of an operation: its name in upper snake case ({@code deleteFeatureGroup}: DELETE_FEATURE_GROUP). */
    static String action(Method m) {
        return m.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}
