package io.quiver.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quiver.config.Mode;
import io.quiver.config.StorageFormat;
import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.GroupStatus;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.model.KeyValue;
import io.quiver.registry.spec.EntitySpec;
import io.quiver.registry.spec.FeatureGroupSpec;
import io.quiver.registry.spec.FeatureSpec;
import io.quiver.registry.spec.JoinKeySpec;
import io.quiver.registry.spec.RegistrationSpec;
import io.quiver.registry.spec.SettingSpec;
import io.quiver.registry.validation.RegistryView;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;

/** Definitions for the registry's plain unit tests: specs by builder, a registry view in memory, drafts as stored. */
public final class Specs {

    private Specs() {
    }

    public static EntitySpec entity(String name, String key, String type) {
        return new EntitySpec(name, List.of(new JoinKeySpec(key, type)), null);
    }

    public static RegistrationSpec registration(List<EntitySpec> entities, List<FeatureGroupSpec> groups) {
        return new RegistrationSpec(entities, groups);
    }

    public static FeatureSpec feature(String name, String type) {
        return FeatureSpec.of(name, type);
    }

    public static FeatureSpec feature(String name, String type, boolean nullable) {
        return new FeatureSpec(name, type, null, null, nullable, null, null, null, null, null, null, null, null, null, null);
    }

    /** A group definition, field by field. */
    public static final class Group {
        public String name;
        public List<String> entities;
        public String eventTimestampColumn;
        public String createdTimestampColumn;
        public Long ttlSeconds;
        public Mode mode;
        public StorageFormat storageFormat;
        public String storagePath;
        public String description;
        public String owner;
        public List<String> tags;
        public List<SettingSpec> config;
        public List<FeatureSpec> features = new ArrayList<>();
        public String queryTemplate;

        public Group(String name, String entity, FeatureSpec... features) {
            this.name = name;
            this.entities = List.of(entity);
            this.features.addAll(List.of(features));
        }

        public FeatureGroupSpec spec() {
            return new FeatureGroupSpec(name, entities, eventTimestampColumn, null, createdTimestampColumn, null, ttlSeconds, mode,
                    storageFormat, storagePath, null, null, null, description, owner, tags, null, config, features, queryTemplate, null, null);
        }
    }

    /** A registry holding the given entities and features (references as group.feature, latest versions). */
    public static RegistryView view(Map<String, List<JoinKey>> entities, List<String> features) {
        return new RegistryView() {
            @Override
            public Optional<List<JoinKey>> entityKeys(String entity) {
                return Optional.ofNullable(entities.get(entity));
            }

            @Override
            public boolean featureExists(FeatureRef reference) {
                return features.contains(reference.group() + "." + reference.feature());
            }

            @Override
            public Optional<io.quiver.registry.model.DataSource> dataSource(String name) {
                return Optional.empty();
            }
        };
    }

    /** What registering the draft as version 1 stores, as the model reads it back (the repository's mapping). */
    public static GroupSchema stored(GroupDraft draft, List<JoinKey> keys) {
        Map<ConfigKey, String> config = new EnumMap<>(ConfigKey.class);
        config.putAll(draft.config());
        String mode = config.get(ConfigKey.MODE);
        String format = config.get(ConfigKey.STORAGE_FORMAT);
        String path = draft.storagePath() != null ? draft.storagePath() : "feature_store/" + draft.name();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        FeatureGroup g = new FeatureGroup(1, draft.name(), 1, true, draft.entities(), keys, draft.eventTimestampColumn(),
                draft.eventTimestampType(), draft.createdTimestampColumn(), draft.createdTimestampType(), draft.ttlSeconds(),
                mode == null ? null : Mode.valueOf(mode), format == null ? StorageFormat.PARQUET : StorageFormat.valueOf(format), path,
                path + "/v1_0000000000000000/data/", draft.onlineEnabled(), draft.offlineEnabled(), draft.materializationSchedule(),
                draft.description(), draft.owner(), List.copyOf(draft.tags()),
                draft.metadata().entrySet().stream().map(e -> new KeyValue(e.getKey(), e.getValue())).toList(), GroupStatus.ACTIVE,
                config, now, now, null, draft.queryTemplate());
        List<Feature> features = new ArrayList<>();
        long id = 1;
        for (FeatureDraft f : draft.features()) {
            features.add(new Feature(id, 1, draft.name(), 1, f.name(), f.type(), f.featureType(), f.description(), f.nullable(),
                    f.defaultValue(), f.allowedValues(), f.min(), f.max(), f.unit(), List.copyOf(f.tags()), f.config(),
                    List.copyOf(f.sourceFeatures()), List.copyOf(f.sourceDatasets()), f.expression()));
            id++;
        }
        return GroupSchema.of(g, features);
    }
}
