package io.quiver.registry.validation;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.spec.SettingSpec;
import io.quiver.error.Suggestions;
import io.quiver.error.ValidationRule;

/** The layered settings a group or feature gives ({@code config}, storage path): known keys, allowed layers, valid values. */
final class SettingsValidator {

    private final DefinitionChecks checks;

    SettingsValidator(DefinitionChecks checks) {
        this.checks = checks;
    }

    Map<ConfigKey, String> settings(String path, List<SettingSpec> settings, boolean featureLevel) {
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
                checks.add(p + ".key", ValidationRule.UNKNOWN_SETTING, "'" + name + "' is not a setting; known: " + String.join(", ", known)
                        + Suggestions.closest(String.valueOf(name), known).map(c -> ". Did you mean " + c + "?").orElse(""));
                continue;
            }
            if (featureLevel && !key.get().overridableByFeature()) {
                checks.add(p + ".key", ValidationRule.NOT_OVERRIDABLE, key.get().key() + " is fixed per group and cannot be set per feature");
                continue;
            }
            if (!featureLevel && key.get().groupField()) {
                checks.add(p + ".key", ValidationRule.USE_FIELD, key.get().key() + " is set with the group's own field, not in config");
                continue;
            }
            if (out.containsKey(key.get())) {
                checks.add(p + ".key", ValidationRule.DUPLICATE_SETTING, key.get().key() + " is set twice");
                continue;
            }
            String value = setting(p + ".value", key.get(), s.value());
            if (value != null) {
                out.put(key.get(), value);
            }
        }
        return out;
    }
    String setting(String path, ConfigKey key, String value) {
        try {
            return key.normalize(value);
        } catch (IllegalArgumentException e) {
            checks.add(path, ValidationRule.SETTING_VALUE, key.key() + ": " + e.getMessage());
            return null;
        }
    }
}
