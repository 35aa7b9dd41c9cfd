package io.quiver.security;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.quiver.registry.model.GroupAction;

/**
 * Decides whether a caller may read or write a group, from the grants and owner teams at one moment (pure logic).
 * Admins and an open instance may do everything. A group is <em>restricted</em> when it has an owner team, when a
 * grant covers it, or always with {@code grantsRequired}; anyone with the role may use an unrestricted group. A
 * restricted one is for its owner team (read and write) and for whom a covering grant names.
 */
public final class GroupPolicy {

    /** The answer, with the sentence saying what is missing when it is no. */
    public record Decision(boolean allowed, String missing) {
        static final Decision YES = new Decision(true, null);
    }

    private record Compiled(Grant grant, Pattern names) {
    }

    private final List<Compiled> grants;
    private final Map<String, String> owners;
    private final boolean grantsRequired;

    public GroupPolicy(List<Grant> grants, Map<String, String> owners, boolean grantsRequired) {
        this.grants = grants.stream().map(g -> new Compiled(g, Grant.glob(g.groups()))).toList();
        this.owners = Map.copyOf(owners);
        this.grantsRequired = grantsRequired;
    }

    /** The team owning {@code group}, or null. */
    public String owner(String group) {
        return owners.get(group);
    }

    public Decision decide(Caller caller, String group, List<String> tags, GroupAction action) {
        if (caller.open() || caller.roles().contains(Role.ADMIN)) {
            return Decision.YES;
        }
        String owner = owners.get(group);
        List<Grant> covering = grants.stream().filter(c -> c.names().matcher(group).matches() && tags.containsAll(c.grant().tags()))
                .map(Compiled::grant).toList();
        if (owner == null && covering.isEmpty() && !grantsRequired) {
            return Decision.YES;
        }
        if (owner != null && caller.teams().contains(owner)) {
            return Decision.YES;
        }
        if (covering.stream().anyMatch(g -> g.grants(caller, action))) {
            return Decision.YES;
        }
        // the owner team and the grants' names stay out of the message: they are for admins (grants, ownerTeam)
        String why = owner != null ? "it belongs to another team" : covering.isEmpty() ? "every group needs a grant here" : "it is restricted";
        String held = covering.stream().anyMatch(g -> g.grants(caller, GroupAction.READ)) ? " (a grant lets it read only)" : "";
        return new Decision(false, caller.who() + " may not " + action.verb() + " feature group '" + group + "': " + why + ", and no grant gives "
                + action.verb() + " access to it or its teams" + held + "; ask an admin to grant " + action + " on it (grantAccess), or for a key in "
                + "its owner team");
    }
}
