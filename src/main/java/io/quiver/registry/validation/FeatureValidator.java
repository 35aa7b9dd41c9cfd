package io.quiver.registry.validation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import io.quiver.registry.model.ConfigKey;
import io.quiver.error.QuiverException;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.FeatureType;
import io.quiver.registry.spec.FeatureSpec;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;
import io.quiver.registry.model.Names;
import io.quiver.error.ValidationRule;

/** One feature of a group: name, type and feature type, constraints, defaults, tags, settings and lineage. */
final class FeatureValidator {

    private final DefinitionChecks checks;
    private final SettingsValidator settings;
    private final RegistryView registry;
    /** Feature names of the groups in this registration, by group name: lineage may point at them. */
    private final Map<String, Set<String>> batchFeatures;

    FeatureValidator(DefinitionChecks checks, SettingsValidator settings, RegistryView registry, Map<String, Set<String>> batchFeatures) {
        this.checks = checks;
        this.settings = settings;
        this.registry = registry;
        this.batchFeatures = batchFeatures;
    }

    Optional<FeatureDraft> feature(String path, String group, FeatureSpec f, Set<String> seen, Set<String> reserved) {
        if (f == null) {
            checks.add(path, ValidationRule.REQUIRED, "a feature definition is required here");
            return Optional.empty();
        }
        long before = checks.violations.total();
        checks.name(path + ".name", f.name(), "feature");
        if (f.name() != null && !seen.add(f.name())) {
            checks.add(path + ".name", ValidationRule.DUPLICATE_FEATURE, "feature '" + f.name() + "' appears twice in group '" + group + "'");
        }
        if (f.name() != null && reserved.contains(f.name())) {
            checks.add(path + ".name", ValidationRule.COLUMN_COLLISION, "feature '" + f.name() + "' has the name of a key or timestamp column");
        }
        Optional<FeatureDataType> parsed = checks.type(path + ".type", f.type());
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
                checks.add(path + ".featureType", ValidationRule.INCONSISTENT_TYPE, featureType + " does not fit values of type " + type
                        + "; use " + FeatureType.inferredFrom(type) + " or change the type");
            }
            if ((min != null || max != null) && !type.base().isNumeric()) {
                checks.add(path + ".min", ValidationRule.INCONSISTENT_TYPE, "min/max apply to numeric types only, not " + type);
            }
            if (min != null && max != null && min > max) {
                checks.add(path + ".min", ValidationRule.RANGE, "min (" + min + ") is greater than max (" + max + ")");
            }
            if (f.allowedValues() != null && !f.allowedValues().isEmpty()) {
                if (type.base().isNested()) {
                    checks.add(path + ".allowedValues", ValidationRule.INCONSISTENT_TYPE, "allowedValues apply to scalar types only, not " + type);
                } else {
                    Set<String> distinct = new LinkedHashSet<>();
                    for (int i = 0; i < f.allowedValues().size(); i++) {
                        String v = checks.value(path + ".allowedValues[" + i + "]", type, f.allowedValues().get(i), min, max);
                        if (v != null && !distinct.add(v)) {
                            checks.add(path + ".allowedValues[" + i + "]", ValidationRule.DUPLICATE_VALUE, "'" + v + "' is listed twice");
                        }
                    }
                    allowed.addAll(distinct);
                }
            }
            if (f.defaultValue() != null) {
                defaultValue = checks.value(path + ".defaultValue", type, f.defaultValue(), min, max);
                if (defaultValue != null && !allowed.isEmpty() && !allowed.contains(defaultValue)) {
                    checks.add(path + ".defaultValue", ValidationRule.NOT_ALLOWED, "default '" + defaultValue + "' is not among allowedValues");
                }
            }
        }
        checks.text(path + ".description", f.description());
        if (f.unit() != null && f.unit().length() > 64) {
            checks.add(path + ".unit", ValidationRule.TOO_LONG, "unit is limited to 64 characters");
        }
        SortedSet<String> tags = checks.tags(path + ".tags", f.tags());
        Map<ConfigKey, String> config = settings.settings(path + ".config", f.config(), true);
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
                checks.add(path + ".sourceDatasets[" + i + "]", ValidationRule.DATASET_NAME, "'" + ds.get(i)
                        + "' is not a dataset name; write layer.table, e.g. silver.transactions");
            }
        }
        if (checks.violations.total() > before) {
            return Optional.empty();
        }
        return Optional.of(new FeatureDraft(f.name(), parsed.orElseThrow(), featureType, DefinitionChecks.blankToNull(f.description()),
                f.nullable() == null || f.nullable(), defaultValue, allowed, min, max, DefinitionChecks.blankToNull(f.unit()), tags, config,
                sourceFeatures, datasets, DefinitionChecks.blankToNull(f.expression()) == null ? null : f.expression().trim()));
    }
    private Optional<String> sourceFeature(String path, String group, String feature, String text) {
        FeatureRef ref;
        try {
            ref = FeatureRef.parse(text);
        } catch (QuiverException e) {
            checks.add(path, ValidationRule.REFERENCE_SYNTAX, e.getMessage());
            return Optional.empty();
        }
        if (ref.group().equals(group) && ref.feature().equals(feature)) {
            checks.add(path, ValidationRule.SELF_LINEAGE, "a feature cannot be its own source");
            return Optional.empty();
        }
        Set<String> inBatch = batchFeatures.get(ref.group());
        boolean exists = inBatch != null && ref.latest() ? inBatch.contains(ref.feature()) : registry.featureExists(ref);
        if (!exists) {
            checks.add(path, ValidationRule.UNKNOWN_FEATURE, "source feature '" + ref + "' is not registered");
            return Optional.empty();
        }
        return Optional.of(ref.toString());
    }
}
