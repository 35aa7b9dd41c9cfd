package io.quiver.registry.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.QueryTemplate;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.spec.FeatureGroupSpec;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;
import io.quiver.error.ValidationRule;

/** A feature group: keys from its entities, timestamps, TTL, layout and settings, descriptive fields, then its features. */
final class GroupValidator {

    private final DefinitionChecks checks;
    private final EntityValidator entities;
    private final SettingsValidator settings;
    private final FeatureValidator features;
    private final RegistryView registry;
    private final TemplateValidator templates;

    GroupValidator(DefinitionChecks checks, EntityValidator entities, SettingsValidator settings, FeatureValidator features,
            RegistryView registry) {
        this.checks = checks;
        this.entities = entities;
        this.settings = settings;
        this.features = features;
        this.registry = registry;
        this.templates = new TemplateValidator(checks, registry);
    }

    Optional<GroupDraft> group(String path, FeatureGroupSpec g, Set<String> seen) {
        if (g == null) {
            checks.add(path, ValidationRule.REQUIRED, "a feature group definition is required here");
            return Optional.empty();
        }
        long before = checks.violations.total();
        checks.name(path + ".name", g.name(), "feature group");
        if (g.name() != null && !seen.add(g.name())) {
            checks.add(path + ".name", ValidationRule.DUPLICATE_GROUP, "feature group '" + g.name() + "' appears twice in this registration");
        }
        // Keys: the entities' join keys, which must not collide.
        List<String> entities = g.entities() == null ? List.of() : g.entities();
        Map<String, String> keyColumns = new LinkedHashMap<>();
        if (entities.isEmpty()) {
            checks.add(path + ".entities", ValidationRule.EMPTY_KEYS, "a feature group needs at least one entity to key its rows");
        }
        Set<String> seenEntities = new HashSet<>();
        for (int i = 0; i < entities.size(); i++) {
            String entity = entities.get(i);
            String ePath = path + ".entities[" + i + "]";
            if (entity == null || !seenEntities.add(entity)) {
                checks.add(ePath, ValidationRule.DUPLICATE_ENTITY, "entity '" + entity + "' is listed twice");
                continue;
            }
            Optional<List<JoinKey>> keys = this.entities.keys(entity).or(() -> registry.entityKeys(entity));
            if (keys.isEmpty()) {
                checks.add(ePath, ValidationRule.UNKNOWN_ENTITY, "entity '" + entity + "' is not registered; register it first or in the same "
                        + "registration (entities: [...])");
                continue;
            }
            for (JoinKey key : keys.get()) {
                String previous = keyColumns.putIfAbsent(key.name(), entity);
                if (previous != null) {
                    checks.add(ePath, ValidationRule.KEY_COLLISION, "join key '" + key.name() + "' of entity '" + entity
                            + "' is also a join key of entity '" + previous + "'");
                }
            }
        }
        // Timestamps.
        String eventColumn = g.eventTimestampColumn() == null ? DefinitionValidator.DEFAULT_EVENT_TIMESTAMP_COLUMN : g.eventTimestampColumn();
        checks.name(path + ".eventTimestampColumn", eventColumn, "event timestamp column");
        DataType eventType = checks.timestampType(path + ".eventTimestampType", g.eventTimestampType());
        String createdColumn = DefinitionChecks.blankToNull(g.createdTimestampColumn());
        DataType createdType = null;
        if (createdColumn != null) {
            checks.name(path + ".createdTimestampColumn", createdColumn, "created timestamp column");
            createdType = checks.timestampType(path + ".createdTimestampType", g.createdTimestampType());
            if (createdColumn.equals(eventColumn)) {
                checks.add(path + ".createdTimestampColumn", ValidationRule.COLUMN_COLLISION, "the created timestamp column must differ from the event timestamp column");
            }
        } else if (g.createdTimestampType() != null) {
            checks.add(path + ".createdTimestampType", ValidationRule.MISSING_COLUMN, "a created timestamp type needs createdTimestampColumn");
        }
        for (String column : new String[] {eventColumn, createdColumn}) {
            if (column != null && keyColumns.containsKey(column)) {
                checks.add(path, ValidationRule.COLUMN_COLLISION, "timestamp column '" + column + "' is also a join key");
            }
        }
        long ttl = g.ttlSeconds() == null ? 0 : g.ttlSeconds();
        if (ttl < 0) {
            checks.add(path + ".ttlSeconds", ValidationRule.NEGATIVE_TTL, "ttlSeconds must be 0 (no expiry) or positive, not " + ttl);
        }
        Map<ConfigKey, String> config = settings.settings(path + ".config", g.config(), false);
        if (g.mode() != null) {
            config.put(ConfigKey.MODE, g.mode().name());
        }
        if (g.storageFormat() != null) {
            if (!g.storageFormat().supported()) {
                checks.add(path + ".storageFormat", ValidationRule.UNSUPPORTED_FORMAT, "storage format " + g.storageFormat()
                        + " is not supported; Quiver stores snapshots as PARQUET (omit storageFormat or use PARQUET)");
            }
            config.put(ConfigKey.STORAGE_FORMAT, g.storageFormat().name());
        }
        String storagePath = null;
        if (g.storagePath() != null) {
            storagePath = settings.setting(path + ".storagePath", ConfigKey.STORAGE_PATH, g.storagePath());
            if (storagePath != null) {
                config.put(ConfigKey.STORAGE_PATH, storagePath);
            }
        }
        checks.text(path + ".description", g.description());
        if (g.owner() != null && g.owner().length() > 255) {
            checks.add(path + ".owner", ValidationRule.TOO_LONG, "owner is limited to 255 characters");
        }
        SortedSet<String> tags = checks.tags(path + ".tags", g.tags());
        Map<String, String> metadata = checks.metadata(path + ".metadata", g.metadata());
        // Features.
        List<FeatureDraft> features = new ArrayList<>();
        if (g.features() == null || g.features().isEmpty()) {
            checks.add(path + ".features", ValidationRule.NO_FEATURES, "a feature group needs at least one feature");
        } else {
            Set<String> reserved = new HashSet<>(keyColumns.keySet());
            reserved.add(eventColumn);
            if (createdColumn != null) {
                reserved.add(createdColumn);
            }
            Set<String> featureNames = new HashSet<>();
            for (int i = 0; i < g.features().size(); i++) {
                this.features.feature(path + ".features[" + i + "]", g.name(), g.features().get(i), featureNames, reserved)
                        .ifPresent(features::add);
            }
        }
        List<String> columns = new ArrayList<>(keyColumns.keySet());
        columns.add(eventColumn);
        if (createdColumn != null) {
            columns.add(createdColumn);
        }
        QueryTemplate template = templates.template(path, g, columns);
        if (checks.violations.total() > before) {
            return Optional.empty();
        }
        String schedule = DefinitionChecks.blankToNull(g.materializationSchedule());
        if (schedule != null) {
            Optional<String> problem = Schedules.problem(schedule);
            if (problem.isPresent()) {
                checks.add(path + ".materializationSchedule", ValidationRule.CRON, problem.get());
                return Optional.empty();
            }
            schedule = schedule.trim();
        }
        return Optional.of(new GroupDraft(g.name(), entities, eventColumn, eventType, createdColumn, createdType, ttl,
                storagePath, g.onlineEnabled() == null || g.onlineEnabled(), g.offlineEnabled() == null || g.offlineEnabled(),
                schedule, DefinitionChecks.blankToNull(g.description()), DefinitionChecks.blankToNull(g.owner()), tags, metadata, config, features,
                template));
    }
}
