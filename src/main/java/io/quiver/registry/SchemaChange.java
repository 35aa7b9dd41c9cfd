package io.quiver.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.QueryTemplate;
import io.quiver.registry.model.TemplateParameter;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;

/**
 * The versioning rule: how a new definition relates to the latest registered version.
 * <ul>
 * <li>UNCHANGED: identical after normalization; registering is idempotent.</li>
 * <li>COMPATIBLE: only things existing data and readers do not depend on changed (descriptions, tags, owner,
 * metadata, TTL, mode and settings, constraints, lineage, new nullable features, feature order); the latest version
 * is updated in place.</li>
 * <li>BREAKING: entities/keys, timestamp columns or their types, storage path or format, a feature removed or
 * retyped, a feature made non-nullable, a new non-nullable feature, or a virtual group's query template or its
 * parameters' names and types (what it computes); the next version is created. A parameter's default is
 * compatible.</li>
 * </ul>
 */
public record SchemaChange(Kind kind, List<String> changes) {

    public enum Kind {
        UNCHANGED, COMPATIBLE, BREAKING
    }

    public SchemaChange {
        changes = List.copyOf(changes);
    }

    public static SchemaChange between(GroupSchema latest, GroupDraft draft) {
        List<String> breaking = new ArrayList<>();
        List<String> compatible = new ArrayList<>();
        FeatureGroup g = latest.group();

        compare(breaking, "entities", g.entityNames(), draft.entities());
        compare(breaking, "eventTimestampColumn", g.eventTimestampColumn(), draft.eventTimestampColumn());
        compare(breaking, "eventTimestampType", g.eventTimestampType(), draft.eventTimestampType());
        compare(breaking, "createdTimestampColumn", g.createdTimestampColumn(), draft.createdTimestampColumn());
        compare(breaking, "createdTimestampType", g.createdTimestampType(), draft.createdTimestampType());
        if (draft.storagePath() != null) {
            compare(breaking, "storagePath", g.storagePath(), draft.storagePath());
        }
        String format = draft.config().get(ConfigKey.STORAGE_FORMAT);
        if (format != null) {
            compare(breaking, "storageFormat", g.storageFormat().name(), format);
        }

        QueryTemplate before = g.queryTemplate();
        QueryTemplate after = draft.queryTemplate();
        compare(breaking, "queryTemplate", before == null ? null : before.sql(), after == null ? null : after.sql());
        compare(breaking, "template parameters", before == null ? List.of() : before.parameters().stream().map(p -> p.name() + " " + p.type()).toList(),
                after == null ? List.of() : after.parameters().stream().map(p -> p.name() + " " + p.type()).toList());
        compare(compatible, "template parameter defaults", before == null ? List.of() : before.parameters().stream().map(TemplateParameter::defaultValue).toList(),
                after == null ? List.of() : after.parameters().stream().map(TemplateParameter::defaultValue).toList());
        compare(compatible, "ttlSeconds", g.ttlSeconds(), draft.ttlSeconds());
        compare(compatible, "onlineEnabled", g.onlineEnabled(), draft.onlineEnabled());
        compare(compatible, "offlineEnabled", g.offlineEnabled(), draft.offlineEnabled());
        compare(compatible, "materializationSchedule", g.materializationSchedule(), draft.materializationSchedule());
        compare(compatible, "description", g.description(), draft.description());
        compare(compatible, "owner", g.owner(), draft.owner());
        compare(compatible, "tags", new TreeSet<>(g.tags()), draft.tags());
        compare(compatible, "metadata", metadataOf(g), draft.metadata());
        compare(compatible, "config", settingsWithoutPhysical(g.configOverrides()), settingsWithoutPhysical(draft.config()));

        List<String> order = new ArrayList<>();
        for (FeatureDraft f : draft.features()) {
            order.add(f.name());
            Feature old = latest.byName().get(f.name());
            if (old == null) {
                (f.nullable() ? compatible : breaking).add("feature '" + f.name() + "' added"
                        + (f.nullable() ? "" : " as non-nullable (existing rows have no value for it)"));
                continue;
            }
            String p = "feature '" + f.name() + "' ";
            compare(breaking, p + "type", old.dataTypeDetail().toString(), f.type().toString());
            if (old.nullable() && !f.nullable()) {
                breaking.add(p + "made non-nullable");
            } else if (!old.nullable() && f.nullable()) {
                compatible.add(p + "made nullable");
            }
            compare(compatible, p + "featureType", old.featureType(), f.featureType());
            compare(compatible, p + "description", old.description(), f.description());
            compare(compatible, p + "defaultValue", old.defaultValue(), f.defaultValue());
            compare(compatible, p + "allowedValues", old.allowedValues(), f.allowedValues());
            compare(compatible, p + "min", old.min(), f.min());
            compare(compatible, p + "max", old.max(), f.max());
            compare(compatible, p + "unit", old.unit(), f.unit());
            compare(compatible, p + "tags", new TreeSet<>(old.tags()), f.tags());
            compare(compatible, p + "config", old.configOverrides(), f.config());
            compare(compatible, p + "sourceFeatures", new TreeSet<>(old.sourceFeatures()), f.sourceFeatures());
            compare(compatible, p + "sourceDatasets", new TreeSet<>(old.sourceDatasets()), f.sourceDatasets());
            compare(compatible, p + "expression", old.expression(), f.expression()); // the template it changes is compared above
        }
        for (Feature old : latest.features()) {
            if (!order.contains(old.name())) {
                breaking.add("feature '" + old.name() + "' removed");
            }
        }
        List<String> oldOrder = latest.features().stream().map(Feature::name).filter(order::contains).toList();
        if (!oldOrder.equals(order.stream().filter(latest.byName()::containsKey).toList())) {
            compatible.add("feature order changed");
        }

        if (!breaking.isEmpty()) {
            List<String> all = new ArrayList<>(breaking);
            all.addAll(compatible);
            return new SchemaChange(Kind.BREAKING, all);
        }
        return new SchemaChange(compatible.isEmpty() ? Kind.UNCHANGED : Kind.COMPATIBLE, compatible);
    }

    private static Map<String, String> metadataOf(FeatureGroup g) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        g.metadata().forEach(kv -> m.put(kv.key(), kv.value()));
        return m;
    }

    private static Map<ConfigKey, String> settingsWithoutPhysical(Map<ConfigKey, String> settings) {
        Map<ConfigKey, String> m = new java.util.EnumMap<>(ConfigKey.class);
        settings.forEach((k, v) -> {
            if (k != ConfigKey.STORAGE_PATH && k != ConfigKey.STORAGE_FORMAT) {
                m.put(k, v);
            }
        });
        return m;
    }

    private static void compare(List<String> into, String what, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            into.add(what + " changed from " + before + " to " + after);
        }
    }
}
