package io.quiver.security;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quiver.audit.AuditLog;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.GroupAction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Per-group grants and owner teams: made and revoked by admins (audited in the same transaction), read as one
 * {@link GroupPolicy} that is trusted for {@code quiver.security.key-cache-ttl} (a change on another replica takes
 * effect within it; on this one at once).
 */
@ApplicationScoped
public class Grants {

    static final int MAX_GRANTS = 10_000;
    private static final int MAX_ITEMS = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Pattern GROUPS = Pattern.compile("[a-z0-9_*?]{1,200}");
    private static final Pattern PRINCIPAL = Pattern.compile("key:[a-z0-9]{12}|oidc:[^,\\s]{1,195}");
    /** A tag or team name. */
    static final Pattern LABEL = Pattern.compile("[^,\\s][^,]{0,99}");

    private final LoadingCache<Boolean, GroupPolicy> policy;
    private final boolean grantsRequired;
    private final AuditLog audit;
    private final RegistryCatalog catalog;

    public Grants(QuiverConfig config, AuditLog audit, RegistryCatalog catalog) {
        this.audit = audit;
        this.catalog = catalog;
        this.grantsRequired = config.security().grantsRequired();
        this.policy = Caffeine.newBuilder().expireAfterWrite(config.security().keyCacheTtl()).build(k -> load());
    }

    /** The grants and owner teams now. */
    public GroupPolicy policy() {
        return policy.get(Boolean.TRUE);
    }

    private GroupPolicy load() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Map<String, String> owners = new HashMap<>();
            GroupOwnerRow.<GroupOwnerRow>listAll().forEach(o -> owners.put(o.groupName, o.team));
            return new GroupPolicy(list(), owners, grantsRequired);
        });
    }

    @Transactional
    public List<Grant> list() {
        return GrantRow.<GrantRow>list("order by name").stream().map(Grants::view).toList();
    }

    @Transactional
    public Grant grant(String name, String groups, List<String> tags, List<String> principals, List<String> teams, GroupAction action,
            String createdBy) {
        check("name", name, NAME, "1 to 100 letters, digits, '_', '.' or '-'");
        check("groups", groups, GROUPS, "a group name, or a pattern of lower-case letters, digits, '_', '*' (any text) and '?' (one character)");
        List<String> t = items("tags", tags, LABEL, "1 to 100 characters without commas");
        List<String> p = items("principals", principals, PRINCIPAL, "key:<key id> or oidc:<token subject>");
        List<String> m = items("teams", teams, LABEL, "1 to 100 characters without commas");
        if (p.isEmpty() && m.isEmpty()) {
            throw new InvalidArgumentException("a grant names at least one principal (key:<id>, oidc:<subject>) or team it is for");
        }
        if (action == null) {
            throw new InvalidArgumentException("say what the grant allows: action READ or WRITE (WRITE includes READ)");
        }
        if (GrantRow.findById(name) != null) {
            throw new QuiverException(ErrorCode.CONFLICT, "a grant named '" + name + "' exists; revokeGrant it first, or pick another name");
        }
        if (GrantRow.count() >= MAX_GRANTS) {
            throw new QuiverException(ErrorCode.CONFLICT, "there are already " + MAX_GRANTS + " grants; revoke unused ones, or use patterns and teams");
        }
        GrantRow row = new GrantRow();
        row.name = name;
        row.groupPattern = groups;
        row.tags = String.join(",", t);
        row.principals = String.join(",", p);
        row.teams = String.join(",", m);
        row.action = action.name();
        row.createdBy = createdBy == null || createdBy.length() <= 200 ? createdBy : createdBy.substring(0, 200);
        row.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        row.persist();
        audit.changed("GRANT_ACCESS", name, action + " on groups " + groups + (t.isEmpty() ? "" : " tagged " + t) + " to "
                + (p.isEmpty() ? "" : "principals " + p + " ") + (m.isEmpty() ? "" : "teams " + m));
        changed();
        return view(row);
    }

    @Transactional
    public Grant revoke(String name) {
        GrantRow row = name == null ? null : GrantRow.findById(name);
        if (row == null) {
            throw new InvalidArgumentException("no grant is named '" + name + "'; grants lists them");
        }
        Grant view = view(row);
        row.delete();
        audit.changed("REVOKE_GRANT", name, view.action() + " on groups " + view.groups() + " revoked");
        changed();
        return view;
    }

    /** Sets (or with null clears) the team owning every version of {@code group}. */
    @Transactional
    public String setOwnerTeam(String group, String team, String setBy) {
        if (group == null || catalog.find(group, 0).isEmpty()) {
            throw new QuiverException(ErrorCode.FEATURE_GROUP_NOT_FOUND, "feature group '" + group + "' is not registered; register it first");
        }
        GroupOwnerRow row = GroupOwnerRow.findById(group);
        if (team == null) {
            if (row != null) {
                row.delete();
                audit.changed("SET_GROUP_OWNER_TEAM", group, "owner team '" + row.team + "' cleared");
            }
            changed();
            return null;
        }
        check("team", team, LABEL, "1 to 100 characters without commas");
        if (row == null) {
            row = new GroupOwnerRow();
            row.groupName = group;
        }
        String before = row.team;
        row.team = team;
        row.setBy = setBy == null || setBy.length() <= 200 ? setBy : setBy.substring(0, 200);
        row.setAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        row.persist();
        audit.changed("SET_GROUP_OWNER_TEAM", group, "owner team " + (before == null ? "" : "'" + before + "' ") + "set to '" + team + "'");
        changed();
        return team;
    }

    /** Fired inside a changing transaction; the policy is dropped once it committed (a reload before would keep the old one). */
    public record Changed() {
    }

    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<Changed> changes;

    private void changed() {
        changes.fire(new Changed());
    }

    void committed(@jakarta.enterprise.event.Observes(during = jakarta.enterprise.event.TransactionPhase.AFTER_SUCCESS) Changed change) {
        policy.invalidateAll();
    }

    private static void check(String field, String value, Pattern pattern, String expected) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidArgumentException(field + " must be " + expected + (value == null ? "" : ", not '" + cut(value) + "'"));
        }
    }

    private static List<String> items(String field, List<String> values, Pattern pattern, String expected) {
        List<String> list = values == null ? List.of() : values.stream().distinct().toList();
        int room = field.equals("tags") ? 1_000 : 2_000; // the column's size
        if (list.size() > MAX_ITEMS || String.join(",", list).length() > room) {
            throw new InvalidArgumentException(field + " lists " + list.size() + " items; give at most " + MAX_ITEMS + ", " + room
                    + " characters in all (use teams and patterns for more)");
        }
        for (int i = 0; i < list.size(); i++) {
            check(field + "[" + i + "]", list.get(i), pattern, expected);
        }
        return list;
    }

    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 59) + "…";
    }

    private static List<String> split(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }

    private static Grant view(GrantRow r) {
        return new Grant(r.name, r.groupPattern, split(r.tags), split(r.principals), split(r.teams), GroupAction.valueOf(r.action), r.createdBy,
                r.createdAt);
    }
}
