package io.quiver.registry;

import java.util.Optional;
import java.util.Set;

import io.quiver.registry.model.GroupAction;

/**
 * Which feature groups the caller of the current API operation may read or write (per-group grants). Work the
 * service does by itself (schedules, the hybrid evaluator, background jobs) has no caller and may do anything. The
 * registry and the read paths ask it; the security package answers.
 */
public interface GroupGate {

    /**
     * Refuses what the caller may not do with {@code group} (its latest version's tags decide which grants apply).
     *
     * @throws io.quiver.error.QuiverException FORBIDDEN, saying which permission is missing
     */
    void check(String group, GroupAction action);

    /** The names of the groups the caller may read; empty when it may read every group (no need to filter). */
    Optional<Set<String>> readable();
}
