package io.quiver.audit;

/**
 * Who is acting on the current thread: set by the API for the length of an operation; work without one (schedules,
 * background jobs) is recorded as {@code system}.
 */
public final class AuditContext {

    /** The actor of an operation. */
    public record Actor(String principal, String keyName, String address, String requestId) {
    }

    static final Actor SYSTEM = new Actor("system", null, null, null);

    private static final ThreadLocal<Actor> CURRENT = new ThreadLocal<>();

    private AuditContext() {
    }

    /** Sets the actor for the current thread; returns the one it replaces, to be restored with {@link #restore}. */
    public static Actor enter(Actor actor) {
        Actor before = CURRENT.get();
        CURRENT.set(actor);
        return before;
    }

    public static void restore(Actor before) {
        if (before == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(before);
        }
    }

    public static Actor current() {
        Actor a = CURRENT.get();
        return a == null ? SYSTEM : a;
    }
}
