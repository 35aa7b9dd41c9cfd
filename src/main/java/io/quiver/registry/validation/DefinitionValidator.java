package io.quiver.registry.validation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import io.quiver.config.ConfigKey;
import io.quiver.error.QuiverException;
import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.FeatureType;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.spec.EntitySpec;
import io.quiver.registry.spec.FeatureGroupSpec;
import io.quiver.registry.spec.FeatureSpec;
import io.quiver.registry.spec.JoinKeySpec;
import io.quiver.registry.spec.MetadataSpec;
import io.quiver.registry.spec.RegistrationSpec;
import io.quiver.registry.spec.SettingSpec;
import io.quiver.registry.validation.ValidatedRegistration.EntityDraft;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;

/**
 * Checks a whole registration and collects every violation before anything is written. A registration with any
 * violation is rejected whole ({@link SchemaValidationException}); otherwise the result is normalized.
 */
public final class DefinitionValidator {

    public static final String DEFAULT_EVENT_TIMESTAMP_COLUMN = "event_timestamp";
    private static final int MAX_TEXT = 4000;

    private final RegistryView registry;
    private final List<Violation> violations = new ArrayList<>();
    /** Join keys of the entities in this batch, by name. */
    private final Map<String, List<JoinKey>> batchEntities = new HashMap<>();
    /** Feature names of the groups in this batch, by group name. */
    private final Map<String, Set<String>> batchFeatures = new HashMap<>();

    private DefinitionValidator(RegistryView registry) {
        this.registry = registry;
    }

    public static ValidatedRegistration validate(RegistrationSpec spec, RegistryView registry) {
        return new DefinitionValidator(registry).run(spec);
    }

    private ValidatedRegistration run(RegistrationSpec spec) {
        if (spec == null || spec.entitiesOrEmpty().isEmpty() && spec.groupsOrEmpty().isEmpty()) {
            throw new SchemaValidationException("The registration",
                    List.of(new Violation("registration", "EMPTY", "give at least one entity or feature group")));
        }
        List<EntityDraft> entities = new ArrayList<>();
        Set<String> entityNames = new HashSet<>();
        for (int i = 0; i < spec.entitiesOrEmpty().size(); i++) {
            entity("entities[" + i + "]", spec.entitiesOrEmpty().get(i), entityNames).ifPresent(entities::add);
        }
        // Index the batch's groups first, so lineage may point at any group in the same registration.
        for (FeatureGroupSpec g : spec.groupsOrEmpty()) {
            if (g != null && g.name() != null && g.features() != null) {
                Set<String> names = new HashSet<>();
                g.features().stream().filter(f -> f != null && f.name() != null).forEach(f -> names.add(f.name()));
                batchFeatures.putIfAbsent(g.name(), names);
            }
        }
        List<GroupDraft> groups = new ArrayList<>();
        Set<String> groupNames = new HashSet<>();
        for (int i = 0; i < spec.groupsOrEmpty().size(); i++) {
            group("groups[" + i + "]", spec.groupsOrEmpty().get(i), groupNames).ifPresent(groups::add);
        }
        if (!violations.isEmpty()) {
            throw new SchemaValidationException("The registration", violations);
        }
        return new ValidatedRegistration(entities, groups);
    }

    private Optional<EntityDraft> entity(String path, EntitySpec e, Set<String> seen) {
        if (e == null) {
            add(path, "REQUIRED", "an entity definition is required here");
            return Optional.empty();
        }
        int before = violations.size();
        name(path + ".name", e.name(), "entity");
        if (e.name() != null && !seen.add(e.name())) {
            add(path + ".name", "DUPLICATE_ENTITY", "entity '" + e.name() + "' appears twice in this registration");
        }
        List<JoinKey> keys = new ArrayList<>();
        if (e.joinKeys() == null || e.joinKeys().isEmpty()) {
            add(path + ".joinKeys", "EMPTY_KEYS", "an entity needs at least one join key, e.g. {name: \"customer_id\", type: \"BIGINT\"}");
        } else {
            Set<String> keyNames = new HashSet<>();
            for (int k = 0; k < e.joinKeys().size(); k++) {
                joinKey(path + ".joinKeys[" + k + "]", e.joinKeys().get(k), keyNames).ifPresent(keys::add);
            }
        }
        text(path + ".description", e.description());
        if (violations.size() > before) {
            return Optional.empty();
        }
        batchEntities.put(e.name(), keys);
        return Optional.of(new EntityDraft(e.name(), keys, blankToNull(e.description())));
    }

    private Optional<JoinKey> joinKey(String path, JoinKeySpec k, Set<String> seen) {
        if (k == null) {
            add(path, "REQUIRED", "a join key is required here");
            return Optional.empty();
        }
        boolean ok = name(path + ".name", k.name(), "join key");
        if (k.name() != null && !seen.add(k.name())) {
            add(path + ".name", "DUPLICATE_KEY", "join key '" + k.name() + "' appears twice");
            ok = false;
        }
        Optional<FeatureDataType> type = type(path + ".type", k.type());
        if (type.isPresent() && !type.get().base().isKeyType()) {
            add(path + ".type", "KEY_TYPE", "join keys must be INT, BIGINT or STRING, not " + type.get());
            return Optional.empty();
        }
        return ok && type.isPresent() ? Optional.of(new JoinKey(k.name(), type.get().base())) : Optional.empty();
    }

    private Optional<GroupDraft> group(String path, FeatureGroupSpec g, Set<String> seen) {
        if (g == null) {
            add(path, "REQUIRED", "a feature group definition is required here");
            return Optional.empty();
        }
        int before = violations.size();
        name(path + ".name", g.name(), "feature group");
        if (g.name() != null && !seen.add(g.name())) {
            add(path + ".name", "DUPLICATE_GROUP", "feature group '" + g.name() + "' appears twice in this registration");
        }
        // Keys: the entities' join keys, which must not collide.
        List<String> entities = g.entities() == null ? List.of() : g.entities();
        Map<String, String> keyColumns = new LinkedHashMap<>();
        if (entities.isEmpty()) {
            add(path + ".entities", "EMPTY_KEYS", "a feature group needs at least one entity to key its rows");
        }
        Set<String> seenEntities = new HashSet<>();
        for (int i = 0; i < entities.size(); i++) {
            String entity = entities.get(i);
            String ePath = path + ".entities[" + i + "]";
            if (entity == null || !seenEntities.add(entity)) {
                add(ePath, "DUPLICATE_ENTITY", "entity '" + entity + "' is listed twice");
                continue;
            }
            Optional<List<JoinKey>> keys = Optional.ofNullable(batchEntities.get(entity)).or(() -> registry.entityKeys(entity));
            if (keys.isEmpty()) {
                add(ePath, "UNKNOWN_ENTITY", "entity '" + entity + "' is not registered; register it first or in the same "
                        + "registration (entities: [...])");
                continue;
            }
            for (JoinKey key : keys.get()) {
                String previous = keyColumns.putIfAbsent(key.name(), entity);
                if (previous != null) {
                    add(ePath, "KEY_COLLISION", "join key '" + key.name() + "' of entity '" + entity
                            + "' is also a join key of entity '" + previous + "'");
                }
            }
        }
        // Timestamps.
        String eventColumn = g.eventTimestampColumn() == null ? DEFAULT_EVENT_TIMESTAMP_COLUMN : g.eventTimestampColumn();
        name(path + ".eventTimestampColumn", eventColumn, "event timestamp column");
        DataType eventType = timestampType(path + ".eventTimestampType", g.eventTimestampType());
        String createdColumn = blankToNull(g.createdTimestampColumn());
        DataType createdType = null;
        if (createdColumn != null) {
            name(path + ".createdTimestampColumn", createdColumn, "created timestamp column");
            createdType = timestampType(path + ".createdTimestampType", g.createdTimestampType());
            if (createdColumn.equals(eventColumn)) {
                add(path + ".createdTimestampColumn", "COLUMN_COLLISION", "the created timestamp column must differ from the event timestamp column");
            }
        } else if (g.createdTimestampType() != null) {
            add(path + ".createdTimestampType", "MISSING_COLUMN", "a created timestamp type needs createdTimestampColumn");
        }
        for (String column : new String[] {eventColumn, createdColumn}) {
            if (column != null && keyColumns.containsKey(column)) {
                add(path, "COLUMN_COLLISION", "timestamp column '" + column + "' is also a join key");
            }
        }
        long ttl = g.ttlSeconds() == null ? 0 : g.ttlSeconds();
        if (ttl < 0) {
            add(path + ".ttlSeconds", "NEGATIVE_TTL", "ttlSeconds must be 0 (no expiry) or positive, not " + ttl);
        }
        Map<ConfigKey, String> config = settings(path + ".config", g.config(), false);
        if (g.mode() != null) {
            config.put(ConfigKey.MODE, g.mode().name());
        }
        if (g.storageFormat() != null) {
            if (!g.storageFormat().supported()) {
                add(path + ".storageFormat", "UNSUPPORTED_FORMAT", "storage format " + g.storageFormat()
                        + " is not supported; Quiver stores snapshots as PARQUET (omit storageFormat or use PARQUET)");
            }
            config.put(ConfigKey.STORAGE_FORMAT, g.storageFormat().name());
        }
        String storagePath = null;
        if (g.storagePath() != null) {
            storagePath = setting(path + ".storagePath", ConfigKey.STORAGE_PATH, g.storagePath());
            if (storagePath != null) {
                config.put(ConfigKey.STORAGE_PATH, storagePath);
            }
        }
        text(path + ".description", g.description());
        if (g.owner() != null && g.owner().length() > 255) {
            add(path + ".owner", "TOO_LONG", "owner is limited to 255 characters");
        }
        SortedSet<String> tags = tags(path + ".tags", g.tags());
        Map<String, String> metadata = metadata(path + ".metadata", g.metadata());
        // Features.
        List<FeatureDraft> features = new ArrayList<>();
        if (g.features() == null || g.features().isEmpty()) {
            add(path + ".features", "NO_FEATURES", "a feature group needs at least one feature");
        } else {
            Set<String> reserved = new HashSet<>(keyColumns.keySet());
            reserved.add(eventColumn);
            if (createdColumn != null) {
                reserved.add(createdColumn);
            }
            Set<String> featureNames = new HashSet<>();
            for (int i = 0; i < g.features().size(); i++) {
                feature(path + ".features[" + i + "]", g.name(), g.features().get(i), featureNames, reserved)
                        .ifPresent(features::add);
            }
        }
        if (violations.size() > before) {
            return Optional.empty();
        }
        String schedule = blankToNull(g.materializationSchedule());
        if (schedule != null) {
            Optional<String> problem = Schedules.problem(schedule);
            if (problem.isPresent()) {
                add(path + ".materializationSchedule", "CRON", problem.get());
                return Optional.empty();
            }
            schedule = schedule.trim();
        }
        return Optional.of(new GroupDraft(g.name(), entities, eventColumn, eventType, createdColumn, createdType, ttl,
                storagePath, g.onlineEnabled() == null || g.onlineEnabled(), g.offlineEnabled() == null || g.offlineEnabled(),
                schedule, blankToNull(g.description()), blankToNull(g.owner()), tags, metadata, config, features));
    }

    private Optional<FeatureDraft> feature(String path, String group, FeatureSpec f, Set<String> seen, Set<String> reserved) {
        if (f == null) {
            add(path, "REQUIRED", "a feature definition is required here");
            return Optional.empty();
        }
        int before = violations.size();
        name(path + ".name", f.name(), "feature");
        if (f.name() != null && !seen.add(f.name())) {
            add(path + ".name", "DUPLICATE_FEATURE", "feature '" + f.name() + "' appears twice in group '" + group + "'");
        }
        if (f.name() != null && reserved.contains(f.name())) {
            add(path + ".name", "COLUMN_COLLISION", "feature '" + f.name() + "' has the name of a key or timestamp column");
        }
        Optional<FeatureDataType> parsed = type(path + ".type", f.type());
        FeatureType featureType = f.featureType();
        List<String> allowed = new ArrayList<>();
        String defaultValue = null;
        Double min = f.min();
        Double max = f.max();
        if (parsed.isPresent()) {
            FeatureDataType type = parsed.get();
            if (featureType == null) {
                featureType = FeatureType.inferredFrom(type);
            } else if (!featureType.accepts(type)) {
                add(path + ".featureType", "INCONSISTENT_TYPE", featureType + " does not fit values of type " + type
                        + "; use " + FeatureType.inferredFrom(type) + " or change the type");
            }
            if ((min != null || max != null) && !type.base().isNumeric()) {
                add(path + ".min", "INCONSISTENT_TYPE", "min/max apply to numeric types only, not " + type);
            }
            if (min != null && max != null && min > max) {
                add(path + ".min", "RANGE", "min (" + min + ") is greater than max (" + max + ")");
            }
            if (f.allowedValues() != null && !f.allowedValues().isEmpty()) {
                if (type.base().isNested()) {
                    add(path + ".allowedValues", "INCONSISTENT_TYPE", "allowedValues apply to scalar types only, not " + type);
                } else {
                    Set<String> distinct = new LinkedHashSet<>();
                    for (int i = 0; i < f.allowedValues().size(); i++) {
                        String v = value(path + ".allowedValues[" + i + "]", type, f.allowedValues().get(i), min, max);
                        if (v != null && !distinct.add(v)) {
                            add(path + ".allowedValues[" + i + "]", "DUPLICATE_VALUE", "'" + v + "' is listed twice");
                        }
                    }
                    allowed.addAll(distinct);
                }
            }
            if (f.defaultValue() != null) {
                defaultValue = value(path + ".defaultValue", type, f.defaultValue(), min, max);
                if (defaultValue != null && !allowed.isEmpty() && !allowed.contains(defaultValue)) {
                    add(path + ".defaultValue", "NOT_ALLOWED", "default '" + defaultValue + "' is not among allowedValues");
                }
            }
        }
        text(path + ".description", f.description());
        if (f.unit() != null && f.unit().length() > 64) {
            add(path + ".unit", "TOO_LONG", "unit is limited to 64 characters");
        }
        SortedSet<String> tags = tags(path + ".tags", f.tags());
        Map<ConfigKey, String> config = settings(path + ".config", f.config(), true);
        SortedSet<String> sourceFeatures = new TreeSet<>();
        List<String> refs = f.sourceFeatures() == null ? List.of() : f.sourceFeatures();
        for (int i = 0; i < refs.size(); i++) {
            sourceFeature(path + ".sourceFeatures[" + i + "]", group, f.name(), refs.get(i)).ifPresent(sourceFeatures::add);
        }
        SortedSet<String> datasets = new TreeSet<>();
        List<String> ds = f.sourceDatasets() == null ? List.of() : f.sourceDatasets();
        for (int i = 0; i < ds.size(); i++) {
            if (Names.isValidDataset(ds.get(i))) {
                datasets.add(ds.get(i));
            } else {
                add(path + ".sourceDatasets[" + i + "]", "DATASET_NAME", "'" + ds.get(i)
                        + "' is not a dataset name; write layer.table, e.g. silver.transactions");
            }
        }
        if (violations.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new FeatureDraft(f.name(), parsed.orElseThrow(), featureType, blankToNull(f.description()),
                f.nullable() == null || f.nullable(), defaultValue, allowed, min, max, blankToNull(f.unit()), tags, config,
                sourceFeatures, datasets));
    }

    private Optional<String> sourceFeature(String path, String group, String feature, String text) {
        FeatureRef ref;
        try {
            ref = FeatureRef.parse(text);
        } catch (QuiverException e) {
            add(path, "REFERENCE_SYNTAX", e.getMessage());
            return Optional.empty();
        }
        if (ref.group().equals(group) && ref.feature().equals(feature)) {
            add(path, "SELF_LINEAGE", "a feature cannot be its own source");
            return Optional.empty();
        }
        Set<String> inBatch = batchFeatures.get(ref.group());
        boolean exists = inBatch != null && ref.latest() ? inBatch.contains(ref.feature()) : registry.featureExists(ref);
        if (!exists) {
            add(path, "UNKNOWN_FEATURE", "source feature '" + ref + "' is not registered");
            return Optional.empty();
        }
        return Optional.of(ref.toString());
    }

    private Map<ConfigKey, String> settings(String path, List<SettingSpec> settings, boolean featureLevel) {
        Map<ConfigKey, String> out = new EnumMap<>(ConfigKey.class);
        if (settings == null) {
            return out;
        }
        List<String> known = Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList();
        for (int i = 0; i < settings.size(); i++) {
            SettingSpec s = settings.get(i);
            String p = path + "[" + i + "]";
            Optional<ConfigKey> key = s == null ? Optional.empty() : ConfigKey.byKey(s.key());
            if (key.isEmpty()) {
                String name = s == null ? null : s.key();
                add(p + ".key", "UNKNOWN_SETTING", "'" + name + "' is not a setting; known: " + String.join(", ", known)
                        + Suggestions.closest(String.valueOf(name), known).map(c -> ". Did you mean " + c + "?").orElse(""));
                continue;
            }
            if (featureLevel && !key.get().overridableByFeature()) {
                add(p + ".key", "NOT_OVERRIDABLE", key.get().key() + " is fixed per group and cannot be set per feature");
                continue;
            }
            if (!featureLevel && key.get().groupField()) {
                add(p + ".key", "USE_FIELD", key.get().key() + " is set with the group's own field, not in config");
                continue;
            }
            if (out.containsKey(key.get())) {
                add(p + ".key", "DUPLICATE_SETTING", key.get().key() + " is set twice");
                continue;
            }
            String value = setting(p + ".value", key.get(), s.value());
            if (value != null) {
                out.put(key.get(), value);
            }
        }
        return out;
    }

    private String setting(String path, ConfigKey key, String value) {
        try {
            return key.normalize(value);
        } catch (IllegalArgumentException e) {
            add(path, "SETTING_VALUE", key.key() + ": " + e.getMessage());
            return null;
        }
    }

    private String value(String path, FeatureDataType type, String text, Double min, Double max) {
        if (text == null) {
            add(path, "REQUIRED", "a value is required here");
            return null;
        }
        try {
            String v = ValueChecker.normalize(type, text);
            if (type.base().isNumeric()) {
                double d = ValueChecker.numeric(v);
                if (min != null && d < min || max != null && d > max) {
                    add(path, "OUT_OF_RANGE", "'" + v + "' is outside [" + min + ", " + max + "]");
                    return null;
                }
            }
            return v;
        } catch (IllegalArgumentException e) {
            add(path, "VALUE_TYPE", e.getMessage());
            return null;
        }
    }

    private Optional<FeatureDataType> type(String path, String expression) {
        try {
            return Optional.of(FeatureDataType.parse(expression));
        } catch (IllegalArgumentException e) {
            add(path, "UNKNOWN_TYPE", e.getMessage());
            return Optional.empty();
        }
    }

    private DataType timestampType(String path, String expression) {
        if (expression == null) {
            return DataType.TIMESTAMP;
        }
        Optional<FeatureDataType> type = type(path, expression);
        if (type.isPresent() && !type.get().base().isTemporal()) {
            add(path, "TIMESTAMP_TYPE", "a timestamp column must be TIMESTAMP or DATE, not " + type.get());
            return null;
        }
        return type.map(FeatureDataType::base).orElse(null);
    }

    private boolean name(String path, String name, String what) {
        if (name == null || name.isEmpty()) {
            add(path, "REQUIRED", "a " + what + " name is required");
            return false;
        }
        if (!Names.isValid(name)) {
            add(path, "NAME_PATTERN", "'" + name + "' is not a valid " + what + " name: use lowercase letters, digits and _ "
                    + "starting with a letter, at most 63 characters (" + Names.PATTERN_TEXT + ")");
            return false;
        }
        if (Names.RESERVED_COLUMNS.contains(name) && !what.equals("feature group") && !what.equals("entity")) {
            add(path, "RESERVED_NAME", "'" + name + "' is reserved: the engine reading the data files names its own column so; "
                    + "choose another name");
            return false;
        }
        return true;
    }

    private SortedSet<String> tags(String path, List<String> tags) {
        SortedSet<String> out = new TreeSet<>();
        if (tags != null) {
            for (int i = 0; i < tags.size(); i++) {
                if (Names.isValidTag(tags.get(i))) {
                    out.add(tags.get(i));
                } else {
                    add(path + "[" + i + "]", "TAG_PATTERN", "'" + tags.get(i) + "' is not a valid tag ("
                            + Names.TAG_PATTERN_TEXT + ")");
                }
            }
        }
        return out;
    }

    private Map<String, String> metadata(String path, List<MetadataSpec> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        if (entries != null) {
            for (int i = 0; i < entries.size(); i++) {
                MetadataSpec e = entries.get(i);
                if (e == null || e.key() == null || e.key().isBlank() || e.value() == null) {
                    add(path + "[" + i + "]", "REQUIRED", "a metadata entry needs a key and a value");
                } else if (out.putIfAbsent(e.key(), e.value()) != null) {
                    add(path + "[" + i + "].key", "DUPLICATE_KEY", "metadata key '" + e.key() + "' appears twice");
                } else if (e.value().length() > MAX_TEXT || e.key().length() > 255) {
                    add(path + "[" + i + "]", "TOO_LONG", "metadata keys are limited to 255 and values to " + MAX_TEXT + " characters");
                }
            }
        }
        return out;
    }

    private void text(String path, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            add(path, "TOO_LONG", "limited to " + MAX_TEXT + " characters");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private void add(String path, String rule, String message) {
        violations.add(new Violation(path, rule, message));
    }
}
