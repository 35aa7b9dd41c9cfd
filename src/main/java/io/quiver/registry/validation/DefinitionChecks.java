package io.quiver.registry.validation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.spec.MetadataSpec;
import io.quiver.registry.model.Names;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;

/**
 * What every part of a definition is checked with: the one violation collector of a registration and the checks
 * shared by entities, groups and features (names, types, values, tags, metadata, text lengths).
 */
final class DefinitionChecks {

    static final int MAX_TEXT = 4000;

    final Violations violations = new Violations();

    boolean name(String path, String name, String what) {
        if (name == null || name.isEmpty()) {
            add(path, ValidationRule.REQUIRED, "a " + what + " name is required");
            return false;
        }
        if (!Names.isValid(name)) {
            add(path, ValidationRule.NAME_PATTERN, "'" + name + "' is not a valid " + what + " name: use lowercase letters, digits and _ "
                    + "starting with a letter, at most 63 characters (" + Names.PATTERN_TEXT + ")");
            return false;
        }
        if (Names.RESERVED_COLUMNS.contains(name) && !what.equals("feature group") && !what.equals("entity")) {
            add(path, ValidationRule.RESERVED_NAME, "'" + name + "' is reserved: the engine reading the data files names its own column so; "
                    + "choose another name");
            return false;
        }
        return true;
    }
    Optional<FeatureDataType> type(String path, String expression) {
        try {
            return Optional.of(FeatureDataType.parse(expression));
        } catch (IllegalArgumentException e) {
            add(path, ValidationRule.UNKNOWN_TYPE, e.getMessage());
            return Optional.empty();
        }
    }
    DataType timestampType(String path, String expression) {
        if (expression == null) {
            return DataType.TIMESTAMP;
        }
        Optional<FeatureDataType> type = type(path, expression);
        if (type.isPresent() && !type.get().base().isTemporal()) {
            add(path, ValidationRule.TIMESTAMP_TYPE, "a timestamp column must be TIMESTAMP or DATE, not " + type.get());
            return null;
        }
        return type.map(FeatureDataType::base).orElse(null);
    }
    String value(String path, FeatureDataType type, String text, Double min, Double max) {
        if (text == null) {
            add(path, ValidationRule.REQUIRED, "a value is required here");
            return null;
        }
        try {
            String v = ValueChecker.normalize(type, text);
            if (type.base().isNumeric()) {
                double d = ValueChecker.numeric(v);
                if (min != null && d < min || max != null && d > max) {
                    add(path, ValidationRule.OUT_OF_RANGE, "'" + v + "' is outside [" + min + ", " + max + "]");
                    return null;
                }
            }
            return v;
        } catch (IllegalArgumentException e) {
            add(path, ValidationRule.VALUE_TYPE, e.getMessage());
            return null;
        }
    }
    SortedSet<String> tags(String path, List<String> tags) {
        SortedSet<String> out = new TreeSet<>();
        if (tags != null) {
            for (int i = 0; i < tags.size(); i++) {
                if (Names.isValidTag(tags.get(i))) {
                    out.add(tags.get(i));
                } else {
                    add(path + "[" + i + "]", ValidationRule.TAG_PATTERN, "'" + tags.get(i) + "' is not a valid tag ("
                            + Names.TAG_PATTERN_TEXT + ")");
                }
            }
        }
        return out;
    }
    Map<String, String> metadata(String path, List<MetadataSpec> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        if (entries != null) {
            for (int i = 0; i < entries.size(); i++) {
                MetadataSpec e = entries.get(i);
                if (e == null || e.key() == null || e.key().isBlank() || e.value() == null) {
                    add(path + "[" + i + "]", ValidationRule.REQUIRED, "a metadata entry needs a key and a value");
                } else if (out.putIfAbsent(e.key(), e.value()) != null) {
                    add(path + "[" + i + "].key", ValidationRule.DUPLICATE_KEY, "metadata key '" + e.key() + "' appears twice");
                } else if (e.value().length() > MAX_TEXT || e.key().length() > 255) {
                    add(path + "[" + i + "]", ValidationRule.TOO_LONG, "metadata keys are limited to 255 and values to " + MAX_TEXT + " characters");
                }
            }
        }
        return out;
    }
    void text(String path, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            add(path, ValidationRule.TOO_LONG, "limited to " + MAX_TEXT + " characters");
        }
    }
    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    void add(String path, ValidationRule rule, String message) {
        violations.add(path, rule, message);
    }
}
