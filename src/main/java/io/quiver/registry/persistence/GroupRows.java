package io.quiver.registry.persistence;

import java.util.Map;
import java.util.TreeMap;

import io.quiver.config.Mode;
import io.quiver.config.StorageFormat;
import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;

/** Validated definitions into rows: the one place that knows which column holds which field. */
final class GroupRows {

    private GroupRows() {
    }

    /** Every field of a group version's row from its definition. */
    static void apply(FeatureGroupRow row, GroupDraft draft, String storagePath, StorageFormat defaultFormat) {
        row.entityNames.clear();
        row.entityNames.addAll(draft.entities());
        row.eventTimestampColumn = draft.eventTimestampColumn();
        row.eventTimestampType = draft.eventTimestampType();
        row.createdTimestampColumn = draft.createdTimestampColumn();
        row.createdTimestampType = draft.createdTimestampType();
        row.ttlSeconds = draft.ttlSeconds();
        String mode = draft.config().get(ConfigKey.MODE);
        row.mode = mode == null ? null : Mode.valueOf(mode);
        String format = draft.config().get(ConfigKey.STORAGE_FORMAT);
        if (format != null) {
            row.storageFormat = StorageFormat.valueOf(format);
        } else if (row.storageFormat == null) {
            row.storageFormat = defaultFormat;
        }
        row.storagePath = storagePath;
        row.onlineEnabled = draft.onlineEnabled();
        row.offlineEnabled = draft.offlineEnabled();
        row.materializationSchedule = draft.materializationSchedule();
        row.description = draft.description();
        row.owner = draft.owner();
        row.tags.clear();
        row.tags.addAll(draft.tags());
        row.metadata = draft.metadata();
        row.config = keyed(draft.config(), ConfigKey.MODE);
        row.queryTemplate = QueryTemplateConverter.Stored.of(draft.queryTemplate());
        row.templateSources.clear();
        if (draft.queryTemplate() != null) {
            row.templateSources.addAll(draft.queryTemplate().sources());
        }
    }

    /** Every field of a feature's row from its definition, at its position in the group. */
    static void apply(FeatureRow fr, FeatureDraft f, int position) {
        fr.position = position;
        fr.name = f.name();
        fr.dataType = f.type().base();
        fr.typeExpression = f.type().toString();
        fr.featureType = f.featureType();
        fr.description = f.description();
        fr.nullable = f.nullable();
        fr.defaultValue = f.defaultValue();
        fr.allowedValues = f.allowedValues();
        fr.minValue = f.min();
        fr.maxValue = f.max();
        fr.unit = f.unit();
        fr.expression = f.expression();
        fr.config = keyed(f.config(), null);
        fr.tags.clear();
        fr.tags.addAll(f.tags());
        fr.sources.clear();
        f.sourceFeatures().forEach(s -> fr.sources.add(new LineageSource(LineageSource.Kind.FEATURE, s)));
        f.sourceDatasets().forEach(s -> fr.sources.add(new LineageSource(LineageSource.Kind.DATASET, s)));
    }

    /** Settings as stored: by their seeds' key, without the one kept in a column of its own. */
    private static Map<String, String> keyed(Map<ConfigKey, String> settings, ConfigKey skip) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((k, v) -> {
            if (k != skip) {
                out.put(k.key(), v);
            }
        });
        return out;
    }
}
