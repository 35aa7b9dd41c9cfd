package io.quiver.registry.validation;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.SortedSet;

import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.QueryTemplate;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureType;
import io.quiver.registry.model.JoinKey;

/** A registration that passed validation, normalized so that equal definitions compare equal. */
public record ValidatedRegistration(List<EntityDraft> entities, List<GroupDraft> groups) {

    public ValidatedRegistration {
        entities = List.copyOf(entities);
        groups = List.copyOf(groups);
    }

    public record EntityDraft(String name, List<JoinKey> joinKeys, String description) {
        public EntityDraft {
            requireNonNull(name, "name");
            joinKeys = List.copyOf(joinKeys);
        }
    }

    /**
     * @param storagePath the path the definition gave, or null to keep the previous version's (or the default)
     * @param config settings the definition gave explicitly, including mode and storage format when set
     */
    public record GroupDraft(String name, List<String> entities, String eventTimestampColumn, DataType eventTimestampType,
            String createdTimestampColumn, DataType createdTimestampType, long ttlSeconds, String storagePath,
            boolean onlineEnabled, boolean offlineEnabled, String materializationSchedule, String description, String owner,
            SortedSet<String> tags, Map<String, String> metadata, Map<ConfigKey, String> config, List<FeatureDraft> features,
            QueryTemplate queryTemplate) {
        public GroupDraft {
            requireNonNull(name, "name");
            entities = List.copyOf(entities);
            features = List.copyOf(features);
        }
    }

    public record FeatureDraft(String name, FeatureDataType type, FeatureType featureType, String description,
            boolean nullable, String defaultValue, List<String> allowedValues, Double min, Double max, String unit,
            SortedSet<String> tags, Map<ConfigKey, String> config, SortedSet<String> sourceFeatures,
            SortedSet<String> sourceDatasets, String expression) {
        public FeatureDraft {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
            allowedValues = List.copyOf(allowedValues);
        }
    }
}
