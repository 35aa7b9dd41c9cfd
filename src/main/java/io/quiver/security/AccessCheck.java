package io.quiver.security;

import java.lang.reflect.Method;

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
 * through. Runs inside the API's error translation, so the answers are ordinary API errors.
 */
@Requires(Role.READER)
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER + 10)
public class AccessCheck {

    @Inject
    Callers callers;

    @AroundInvoke
    Object check(InvocationContext ctx) throws Exception {
        Role needed = needed(ctx.getMethod());
        Caller caller = callers.current();
        if (!caller.may(needed)) {
            throw new QuiverException(ErrorCode.FORBIDDEN, operation(ctx.getMethod()) + " needs the " + needed.id() + " role, and "
                    + caller.describe() + "; ask an admin for a key with the " + needed.id() + " role");
        }
        return ctx.proceed();
    }

    static Role needed(Method m) {
        Requires r = m.getAnnotation(Requires.class);
        if (r == null) {
            r = m.getDeclaringClass().getAnnotation(Requires.class);
        }
        return r == null ? Role.ADMIN : r.value();
    }

    private static String operation(Method m) {
        return "'" + m.getName() + "'";
    }
}
