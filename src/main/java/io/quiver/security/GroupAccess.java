package io.quiver.security;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.FeatureGroupCache;
import io.quiver.registry.GroupGate;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.GroupAction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The per-group grants of the caller of the current API operation ({@link AccessCheck} names it for the duration
 * of the operation, on its thread). No caller named: work the service does by itself, allowed.
 */
@ApplicationScoped
public class GroupAccess implements GroupGate {

    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    private final Grants grants;
    private final FeatureGroupCache groups;
    private final RegistryCatalog catalog;

    public GroupAccess(Grants grants, FeatureGroupCache groups, RegistryCatalog catalog) {
        this.grants = grants;
        this.groups = groups;
        this.catalog = catalog;
    }

    /** Names the caller of the operation about to run on this thread; returns the one to {@link #restore}. */
    static Caller enter(Caller caller) {
        Caller before = CURRENT.get();
        CURRENT.set(caller);
        return before;
    }

    static void restore(Caller before) {
        if (before == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(before);
        }
    }

    @Override
    public void check(String group, GroupAction action) {
        GroupPolicy.Decision d = decide(group, action);
        if (!d.allowed()) {
            throw new QuiverException(ErrorCode.FORBIDDEN, d.missing());
        }
    }

    @Override
    public Optional<Set<String>> readable() {
        Caller caller = CURRENT.get();
        if (unrestricted(caller)) {
            return Optional.empty();
        }
        GroupPolicy policy = grants.policy();
        Map<String, List<String>> all = catalog.latestTags();
        return Optional.of(all.entrySet().stream().filter(e -> policy.decide(caller, e.getKey(), e.getValue(), GroupAction.READ).allowed())
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet()));
    }

    /** The caller of the current operation (null: the service itself), for checks made later on another thread. */
    public Caller caller() {
        return CURRENT.get();
    }

    /** {@link #check} for {@code caller} rather than the current one. */
    public void check(Caller caller, String group, GroupAction action) {
        Caller before = enter(caller);
        try {
            check(group, action);
        } finally {
            restore(before);
        }
    }

    /** The owner team of {@code group}, or null. */
    public String ownerTeam(String group) {
        return grants.policy().owner(group);
    }

    private GroupPolicy.Decision decide(String group, GroupAction action) {
        Caller caller = CURRENT.get();
        if (unrestricted(caller)) {
            return GroupPolicy.Decision.YES;
        }
        // a cached "absent" may predate a registration elsewhere: look again, so that its tags count (as the resolver does)
        List<String> tags = groups.get(group, 0).or(() -> groups.reload(group, 0)).map(s -> s.group().tags()).orElse(List.of());
        return grants.policy().decide(caller, group, tags, action);
    }

    private static boolean unrestricted(Caller caller) {
        return caller == null || caller.open() || caller.roles().contains(Role.ADMIN);
    }
}
