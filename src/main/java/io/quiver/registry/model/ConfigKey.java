package io.quiver.registry.model;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.eclipse.microprofile.graphql.Description;

import io.quiver.config.QuiverConfig;
import io.quiver.config.Mode;
import io.quiver.config.StorageFormat;
import io.quiver.config.QueryExecutorType;

/**
 * The layered settings (the seeds' global keys). Each key knows how to read its global value, how to check and
 * normalize a value given in a definition, and at which layers it may be overridden.
 */
@Description("A layered setting: global (quiver.* configuration), overridable per group and (most) per feature")
public enum ConfigKey {
    MODE("mode", c -> c.mode().name(), enumValue(Mode.class), true),
    STORAGE_PATH("storage_path", QuiverConfig::storagePath, ConfigKey::path, false),
    STORAGE_FORMAT("storage_format", c -> c.storageFormat().name(), enumValue(StorageFormat.class), false),
    ENABLE_VIRTUALIZATION("enable_virtualization", c -> String.valueOf(c.enableVirtualization()), ConfigKey::bool, true),
    QUERY_EXECUTOR_TYPE("query_executor_type", c -> c.queryExecutorType().name(), enumValue(QueryExecutorType.class), true),
    REGISTER_VIRTUAL_TABLES("register_virtual_tables", c -> String.valueOf(c.registerVirtualTables()), ConfigKey::bool, true),
    VIRTUAL_TABLE_PREFIX("virtual_table_prefix", QuiverConfig::virtualTablePrefix, ConfigKey::prefix, true),
    HYBRID_THRESHOLD_ROWS("hybrid_threshold_rows", c -> String.valueOf(c.hybridThresholdRows()), ConfigKey::nonNegativeLong, true),
    HYBRID_CACHE_TTL("hybrid_cache_ttl", c -> c.hybridCacheTtl().toString(), ConfigKey::duration, true),
    AUTO_MATERIALIZE_ON_READ("auto_materialize_on_read", c -> String.valueOf(c.autoMaterializeOnRead()), ConfigKey::bool, true),
    HYBRID_HOT_READS_PER_HOUR("hybrid_hot_reads_per_hour", c -> number(c.hybrid().hotReadsPerHour()), ConfigKey::nonNegativeNumber, false),
    HYBRID_COLD_READS_PER_HOUR("hybrid_cold_reads_per_hour", c -> number(c.hybrid().coldReadsPerHour()), ConfigKey::nonNegativeNumber, false),
    HYBRID_ONLINE_P99_MS("hybrid_online_p99_ms", c -> number(c.hybrid().onlineP99Ms()), ConfigKey::nonNegativeNumber, false);

    private final String key;
    private final Function<QuiverConfig, String> global;
    private final UnaryOperator<String> normalizer;
    private final boolean featureLevel;

    ConfigKey(String key, Function<QuiverConfig, String> global, UnaryOperator<String> normalizer, boolean featureLevel) {
        this.key = key;
        this.global = global;
        this.normalizer = normalizer;
        this.featureLevel = featureLevel;
    }

    /** The seeds' snake_case name of the key. */
    public String key() {
        return key;
    }

    public String globalValue(QuiverConfig config) {
        return global.apply(config);
    }

    /** Physical layout (path, format) is fixed per group; everything else may differ per feature. */
    public boolean overridableByFeature() {
        return featureLevel;
    }

    /** Whether a group sets this key through a field of its own rather than its {@code config} list. */
    public boolean groupField() {
        return this == MODE || this == STORAGE_PATH || this == STORAGE_FORMAT;
    }

    /**
     * Checks and normalizes a value for this key.
     *
     * @throws IllegalArgumentException with a user-facing message when the value does not fit
     */
    public String normalize(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a value is required for " + key);
        }
        return normalizer.apply(value.trim());
    }

    public static Optional<ConfigKey> byKey(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key) || k.name().equals(key)).findFirst();
    }

    private static <E extends Enum<E>> UnaryOperator<String> enumValue(Class<E> type) {
        return v -> {
            try {
                return Enum.valueOf(type, v.toUpperCase(Locale.ROOT)).name();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + v + "' is not one of " + Arrays.toString(type.getEnumConstants()));
            }
        };
    }

    private static String bool(String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return v.toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("'" + v + "' is not true or false");
    }

    private static String nonNegativeLong(String v) {
        try {
            long n = Long.parseLong(v);
            if (n >= 0) {
                return Long.toString(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + v + "' is not a whole number >= 0");
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String nonNegativeNumber(String v) {
        try {
            double d = Double.parseDouble(v);
            if (d >= 0 && Double.isFinite(d)) {
                return number(d);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + v + "' is not a number >= 0");
    }

    private static String duration(String v) {
        try {
            Duration d = v.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(v)) : Duration.parse(v);
            if (!d.isNegative()) {
                return d.toString();
            }
        } catch (DateTimeParseException | NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + v + "' is not a duration: give seconds (3600) or ISO-8601 (PT1H)");
    }

    private static String prefix(String v) {
        if (v.matches("[a-z][a-z0-9_]{0,30}")) {
            return v;
        }
        throw new IllegalArgumentException("'" + v + "' is not a table prefix matching [a-z][a-z0-9_]{0,30}");
    }

    /**
     * A storage path is a prefix inside the object store (the bucket or root directory is configured globally): segments
     * of letters, digits and {@code _ . = -} joined by '/', which mean the same on S3 and on a disk.
     */
    private static String path(String v) {
        String p = v.endsWith("/") && v.length() > 1 ? v.substring(0, v.length() - 1) : v;
        if (p.length() > 400 || !p.matches("[A-Za-z0-9_.=-]+(/[A-Za-z0-9_.=-]+)*")
                || java.util.Arrays.stream(p.split("/")).anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw new IllegalArgumentException("'" + v + "' is not a storage path: give a relative path inside the object store of at "
                    + "most 400 characters, segments of letters, digits and _ . = - separated by '/' (e.g. feature_store/customers); "
                    + "the bucket or root directory is set by quiver.object-store.*");
        }
        return p;
    }
}
