package io.quiver.security;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quarkus.runtime.StartupEvent;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

/**
 * API keys: created, listed, rotated and revoked by admins; verified on every request that sends one. A verified key
 * is trusted for {@code quiver.security.key-cache-ttl} without asking the registry again (a revocation on another
 * replica takes effect within it; on this one at once).
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    /** Most keys an installation may hold (revoked ones included); a bound on the table, not a quota per person. */
    static final int MAX_KEYS = 10_000;
    private static final Duration LAST_USED_EVERY = Duration.ofMinutes(1);

    private final QuiverConfig.Security config;
    private final ApiKeyFormat format;
    private final Cache<String, Verified> verified;
    private final Map<String, Instant> lastUsedWritten = new ConcurrentHashMap<>();

    private final io.quiver.audit.AuditLog audit;

    public ApiKeys(QuiverConfig config, io.quiver.audit.AuditLog audit) {
        this.audit = audit;
        this.config = config.security();
        this.format = this.config.keySecret().map(ApiKeyFormat::new).orElse(null);
        this.verified = Caffeine.newBuilder().expireAfterWrite(this.config.keyCacheTtl()).maximumSize(10_000).build();
    }

    /** A caller a key authenticated. */
    public record Verified(String id, String name, Set<Role> roles, Set<String> teams, Instant expiresAt) {
    }

    /** Refuses to start secured without a usable key secret; creates the bootstrap admin key when asked. */
    void start(@Observes StartupEvent started) {
        if (config.open()) {
            LOG.warn("SECURITY IS OFF (quiver.security.open=true): every request may read, write, delete and administer "
                    + "everything without a key. Never expose this instance; set QUIVER_SECURITY_KEY_SECRET and drop "
                    + "QUIVER_SECURITY_OPEN to require API keys.");
            return;
        }
        if (format == null) {
            throw new IllegalStateException("Quiver refuses to start without security: set QUIVER_SECURITY_KEY_SECRET (at least 32 "
                    + "characters, e.g. `openssl rand -hex 32`) to require API keys, or QUIVER_SECURITY_OPEN=true to serve every request "
                    + "without one (development only)");
        }
        config.bootstrapAdminKey().ifPresent(key -> {
            try {
                bootstrap(key);
            } catch (RuntimeException e) {
                // replicas starting together race to insert it: the loser finds the winner's row and goes on
                ApiKeyFormat.Parsed parsed = ApiKeyFormat.parse(key);
                if (parsed == null || !exists(parsed.id())) {
                    throw e;
                }
            }
        });
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    boolean exists(String id) {
        return ApiKeyRow.findById(id) != null;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void bootstrap(String key) {
        ApiKeyFormat.Parsed parsed = ApiKeyFormat.parse(key);
        if (parsed == null) {
            throw new IllegalStateException("QUIVER_SECURITY_BOOTSTRAP_ADMIN_KEY is not a key: it must read qvk_<12 lower-case letters or "
                    + "digits>_<32 to 128 letters, digits, - or _> (the README shows how to make one)");
        }
        ApiKeyRow row = ApiKeyRow.findById(parsed.id());
        if (row != null) {
            if (!format.matches(parsed.secret(), row.secretHash)) {
                LOG.warnf("the bootstrap admin key's id %s names an existing key with another secret; nothing created", parsed.id());
            }
            return;
        }
        row = new ApiKeyRow();
        row.id = parsed.id();
        row.name = "bootstrap-admin";
        row.owner = "bootstrap";
        row.roles = Role.ADMIN.id();
        row.secretHash = format.hash(parsed.secret());
        row.createdBy = "QUIVER_SECURITY_BOOTSTRAP_ADMIN_KEY";
        row.createdAt = now();
        row.persist();
        audit.changed("CREATE_API_KEY", row.id, "bootstrap admin key created from the configuration");
        LOG.infof("created the bootstrap admin key %s (its secret is the one configured)", row.id);
    }

    public boolean open() {
        return config.open();
    }

    /** The key a request presents (X-API-Key wins over a bearer token), unverified; null for none. */
    public static String presented(String apiKeyHeader, String authorization) {
        return ApiKeyMechanism.key(apiKeyHeader, authorization);
    }

    /** Whether keys can be verified here (a key secret is configured). */
    public boolean usesKeys() {
        return format != null;
    }

    /**
     * The caller the key names.
     *
     * @throws QuiverException UNAUTHENTICATED saying why (malformed, unknown, expired, revoked), never echoing the key
     */
    public Verified verify(String key) {
        ApiKeyFormat.Parsed parsed = ApiKeyFormat.parse(key);
        if (parsed == null) {
            throw unauthenticated("the API key is malformed: keys read qvk_<id>_<secret>; send the whole key as created");
        }
        if (format == null) {
            throw unauthenticated("this instance does not use API keys (security is open)");
        }
        String cacheKey = parsed.id() + ":" + format.hash(parsed.secret());
        Verified v = verified.getIfPresent(cacheKey);
        if (v == null) {
            v = load(parsed);
            verified.put(cacheKey, v);
        }
        if (v.expiresAt() != null && !v.expiresAt().isAfter(Instant.now())) {
            throw unauthenticated("the API key " + v.id() + " expired at " + v.expiresAt() + "; ask an admin for a new one");
        }
        touch(v.id());
        return v;
    }

    @Transactional
    Verified load(ApiKeyFormat.Parsed parsed) {
        ApiKeyRow row = ApiKeyRow.findById(parsed.id());
        if (row == null || !format.matches(parsed.secret(), row.secretHash)) {
            throw unauthenticated("the API key is not known" + (row != null && row.rotatedAt != null ? " (if it was rotated, use the new one)" : "")
                    + "; check that it was copied whole, or ask an admin for one");
        }
        if (row.revokedAt != null) {
            throw unauthenticated("the API key " + row.id + " was revoked at " + row.revokedAt + "; ask an admin for a new one");
        }
        return new Verified(row.id, row.name, roles(row.roles), Set.copyOf(teams(row.teams)), row.expiresAt);
    }

    /** Records the last use at most once a minute per key, so verification does not write on every request. */
    private void touch(String id) {
        Instant now = Instant.now();
        Instant last = lastUsedWritten.get(id);
        if (last != null && last.plus(LAST_USED_EVERY).isAfter(now)) {
            return;
        }
        lastUsedWritten.put(id, now);
        try {
            markUsed(id, now.truncatedTo(ChronoUnit.MICROS));
        } catch (RuntimeException e) {
            LOG.debugf(e, "could not record the last use of key %s", id);
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void markUsed(String id, Instant at) {
        ApiKeyRow.update("lastUsedAt = ?1 where id = ?2", at, id);
    }

    // ---- administration

    @Transactional
    public CreatedApiKey create(String name, String owner, List<Role> roles, List<String> teams, Instant expiresAt, String createdBy) {
        requireSecured();
        checkName(name);
        if (owner != null && owner.length() > 100) {
            throw new InvalidArgumentException("owner is " + owner.length() + " characters long; give at most 100");
        }
        if (roles == null || roles.isEmpty() || roles.contains(null)) {
            throw new InvalidArgumentException("give the key at least one role: READER, WRITER or ADMIN");
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw new InvalidArgumentException("expiresAt (" + expiresAt + ") is in the past; give a later time, or none for a key that does not expire");
        }
        List<String> t = teams == null ? List.of() : teams.stream().distinct().toList();
        if (t.size() > 20 || t.stream().anyMatch(x -> x == null || !Grants.LABEL.matcher(x).matches())
                || String.join(",", t).length() > 1000) {
            throw new InvalidArgumentException("teams: give at most 20 team names of 1 to 100 characters without commas");
        }
        if (ApiKeyRow.count() >= MAX_KEYS) {
            throw new QuiverException(ErrorCode.CONFLICT, "there are already " + MAX_KEYS + " API keys; revoke and delete unused ones first");
        }
        ApiKeyFormat.Parsed key = ApiKeyFormat.generate();
        ApiKeyRow row = new ApiKeyRow();
        row.id = key.id();
        row.name = name;
        row.owner = owner;
        row.roles = roles.stream().distinct().map(Role::id).collect(Collectors.joining(","));
        row.teams = t.isEmpty() ? null : String.join(",", t);
        row.secretHash = format.hash(key.secret());
        row.createdBy = createdBy == null || createdBy.length() <= 200 ? createdBy : createdBy.substring(0, 200);
        row.createdAt = now();
        row.expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MICROS);
        row.persist();
        audit.changed("CREATE_API_KEY", row.id, "key '" + name + "' for " + (owner == null ? "no owner" : owner) + " with roles " + row.roles
                + (t.isEmpty() ? "" : " in teams " + row.teams)
                + (expiresAt == null ? "" : ", expiring at " + row.expiresAt));
        return new CreatedApiKey(ApiKeyFormat.text(key), view(row));
    }

    @Transactional
    public List<ApiKey> list() {
        List<ApiKeyRow> rows = ApiKeyRow.list("order by createdAt, id");
        return rows.stream().map(ApiKeys::view).toList();
    }

    /** Replaces the key's secret: the old text stops working at once on this replica, within the cache TTL on the others. */
    @Transactional
    public CreatedApiKey rotate(String id) {
        requireSecured();
        ApiKeyRow row = find(id);
        if (row.revokedAt != null) {
            throw new InvalidArgumentException("API key " + id + " is revoked; create a new one instead");
        }
        ApiKeyFormat.Parsed key = new ApiKeyFormat.Parsed(row.id, ApiKeyFormat.generate().secret());
        row.secretHash = format.hash(key.secret());
        row.rotatedAt = now();
        audit.changed("ROTATE_API_KEY", row.id, "secret of key '" + row.name + "' replaced");
        verified.asMap().keySet().removeIf(k -> k.startsWith(id + ":"));
        return new CreatedApiKey(ApiKeyFormat.text(key), view(row));
    }

    @Transactional
    public ApiKey revoke(String id) {
        ApiKeyRow row = find(id);
        if (row.revokedAt == null) {
            row.revokedAt = now();
            audit.changed("REVOKE_API_KEY", row.id, "key '" + row.name + "' revoked");
        }
        verified.asMap().keySet().removeIf(k -> k.startsWith(id + ":"));
        return view(row);
    }

    private ApiKeyRow find(String id) {
        ApiKeyRow row = id == null ? null : ApiKeyRow.findById(id);
        if (row == null) {
            throw new QuiverException(ErrorCode.INVALID_ARGUMENT, "no API key has the id '" + id + "'; apiKeys lists them");
        }
        return row;
    }

    private void requireSecured() {
        if (format == null) {
            throw new InvalidArgumentException("this instance runs open (quiver.security.open=true) and has no key secret, so it cannot "
                    + "make API keys; set QUIVER_SECURITY_KEY_SECRET first");
        }
    }

    private static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidArgumentException("give the key a name of 1 to 100 characters (what or who uses it)");
        }
    }

    static Set<Role> roles(String ids) {
        Set<Role> out = EnumSet.noneOf(Role.class);
        Arrays.stream(ids.split(",")).map(Role::of).filter(java.util.Objects::nonNull).forEach(out::add);
        return out;
    }

    static List<String> teams(String names) {
        return names == null || names.isEmpty() ? List.of() : List.of(names.split(","));
    }

    private static ApiKey view(ApiKeyRow r) {
        Instant now = Instant.now();
        ApiKey.Status status = r.revokedAt != null ? ApiKey.Status.REVOKED
                : r.expiresAt != null && !r.expiresAt.isAfter(now) ? ApiKey.Status.EXPIRED : ApiKey.Status.ACTIVE;
        return new ApiKey(r.id, r.name, r.owner, List.copyOf(roles(r.roles)), teams(r.teams), r.createdBy, r.createdAt, r.expiresAt, r.rotatedAt, r.revokedAt,
                r.lastUsedAt, status);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    static QuiverException unauthenticated(String message) {
        return new QuiverException(ErrorCode.UNAUTHENTICATED, message);
    }
}
