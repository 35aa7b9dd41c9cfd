package io.quiver.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.quiver.registry.model.FeatureGroup;
import io.quiver.config.Mode;
import jakarta.enterprise.context.ApplicationScoped;
import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.ConfigLayer;
import io.quiver.config.QuiverConfig;

/** Resolves settings through the layers global -> group -> feature, most specific first. */
@ApplicationScoped
public class EffectiveConfigResolver {

    private final QuiverConfig config;
    private final java.util.function.Supplier<java.util.Optional<ServingStrategy>> strategies;

    @jakarta.inject.Inject
    public EffectiveConfigResolver(QuiverConfig config, jakarta.enterprise.inject.Instance<ServingStrategy> strategies) {
        this.config = config;
        this.strategies = () -> strategies.isResolvable() ? java.util.Optional.of(strategies.get()) : java.util.Optional.empty();
    }

    /** Without a hybrid selector (unit tests): selectable HYBRID groups are served VIRTUALIZED. */
    public EffectiveConfigResolver(QuiverConfig config) {
        this.config = config;
        this.strategies = java.util.Optional::empty;
    }

    public List<EffectiveSetting> forGroup(FeatureGroup group) {
        return resolve(group, Map.of());
    }

    public List<EffectiveSetting> forFeature(FeatureGroup group, Map<ConfigKey, String> featureOverrides) {
        return resolve(group, featureOverrides);
    }

    /** The group's effective mode: its own, else the global one. */
    public Mode mode(FeatureGroup group) {
        return group.declaredMode() != null ? group.declaredMode() : config.mode();
    }

    /**
     * Storage path and format are fixed when a version is registered, so their value is always the group's own;
     * the layer says whether the definition gave them or they were derived from the global settings.
     */
    private List<EffectiveSetting> resolve(FeatureGroup group, Map<ConfigKey, String> feature) {
        Map<ConfigKey, String> own = group.configOverrides();
        List<EffectiveSetting> out = new ArrayList<>(ConfigKey.values().length);
        for (ConfigKey key : ConfigKey.values()) {
            ConfigLayer layer = feature.containsKey(key) ? ConfigLayer.FEATURE
                    : own.containsKey(key) ? ConfigLayer.GROUP : ConfigLayer.GLOBAL;
            String value = switch (key) {
                case STORAGE_PATH -> group.storagePath();
                case STORAGE_FORMAT -> group.storageFormat().name();
                default -> layer == ConfigLayer.FEATURE ? feature.get(key)
                        : layer == ConfigLayer.GROUP ? own.get(key) : key.globalValue(config);
            };
            out.add(new EffectiveSetting(key.key(), value, layer, note(key, value)));
        }
        return out;
    }

    /** What a value does when that is less than its name promises. */
    static String note(ConfigKey key, String value) {
        return switch (key) {
            case MODE -> value.equals(Mode.HYBRID.name()) ? "the hybrid selector serves the group MATERIALIZED or VIRTUALIZED "
                    + "from its access metrics when it has a query template, else MATERIALIZED (servedAs says which)" : null;
            default -> null;
        };
    }

    /**
     * How the group is served now: VIRTUALIZED groups by their template; HYBRID groups that have a template and
     * virtualization enabled as the hybrid selector decided (VIRTUALIZED until its stored data is filled), other
     * HYBRID groups and MATERIALIZED groups from stored data.
     */
    public Mode servedAs(FeatureGroup group) {
        Mode mode = mode(group);
        if (mode == Mode.VIRTUALIZED && group.queryTemplate() != null) {
            return Mode.VIRTUALIZED;
        }
        if (selectable(group)) {
            return strategies.get().flatMap(s -> s.served(group)).orElse(Mode.VIRTUALIZED);
        }
        if (mode == Mode.HYBRID && group.queryTemplate() != null && virtualizationEnabled(group)) {
            return Mode.VIRTUALIZED; // an older version: nothing refreshes its stored data any more, the lake is current
        }
        return Mode.MATERIALIZED;
    }

    /**
     * The online table a selectable group's filled values live in when its fills keep their own (empty: the group's
     * own table); asked on every online read and write of the group, answered from memory.
     */
    public java.util.Optional<String> onlineTable(FeatureGroup group) {
        return selectable(group) ? strategies.get().flatMap(s -> s.onlineTable(group)) : java.util.Optional.empty();
    }

    /**
     * Whether the hybrid selector chooses how the group is served: the latest version of a HYBRID group with a
     * template and virtualization enabled (older versions are served VIRTUALIZED).
     */
    public boolean selectable(FeatureGroup group) {
        return group.latest() && mode(group) == Mode.HYBRID && group.queryTemplate() != null && virtualizationEnabled(group);
    }

    /** A layered setting's effective value for the group (its own, else the global one). */
    public String value(FeatureGroup group, ConfigKey key) {
        String own = group.configOverrides().get(key);
        return own != null ? own : key.globalValue(config);
    }

    /**
     * Refuses an operation on stored data for a VIRTUALIZED group, which stores none.
     *
     * @param action what was asked, e.g. "write to" (the message starts "cannot write to ...")
     */
    public void requireStoredData(FeatureGroup group, String action) {
        if (mode(group) == Mode.VIRTUALIZED) {
            throw new io.quiver.error.InvalidArgumentException("cannot " + action + " feature group '" + group.name() + "' version "
                    + group.version() + ": it is VIRTUALIZED, computed from lake data by its query template, and stores nothing; "
                    + "change its data sources' files, or register it as HYBRID to keep stored data too");
        }
    }

    private boolean virtualizationEnabled(FeatureGroup group) {
        String own = group.configOverrides().get(ConfigKey.ENABLE_VIRTUALIZATION);
        return own != null ? Boolean.parseBoolean(own) : config.enableVirtualization();
    }

    /** The virtual table prefix groups use unless they set their own. */
    public String globalVirtualTablePrefix() {
        return config.virtualTablePrefix();
    }

    /** Whether the group is also a virtual table ({@code register_virtual_tables}), and under which name. */
    public java.util.Optional<String> virtualTable(FeatureGroup group) {
        if (group.queryTemplate() == null) {
            return java.util.Optional.empty();
        }
        String own = group.configOverrides().get(ConfigKey.REGISTER_VIRTUAL_TABLES);
        boolean register = own != null ? Boolean.parseBoolean(own) : config.registerVirtualTables();
        String prefix = group.configOverrides().getOrDefault(ConfigKey.VIRTUAL_TABLE_PREFIX, config.virtualTablePrefix());
        return register ? java.util.Optional.of(prefix + group.name()) : java.util.Optional.empty();
    }
}
