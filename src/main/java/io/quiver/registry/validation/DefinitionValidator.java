package io.quiver.registry.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.registry.spec.FeatureGroupSpec;
import io.quiver.registry.spec.RegistrationSpec;
import io.quiver.registry.validation.ValidatedRegistration.EntityDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import io.quiver.registry.model.ConfigKey;
import io.quiver.error.QuiverException;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.FeatureType;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.spec.EntitySpec;
import io.quiver.registry.spec.FeatureSpec;
import io.quiver.registry.spec.JoinKeySpec;
import io.quiver.registry.spec.MetadataSpec;
import io.quiver.registry.spec.SettingSpec;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;

/**
 * Checks a whole registration and collects every violation before anything is written (the first
 * {@value Violations#MAX_LISTED} are listed with the total). A registration with any violation is rejected whole
 * ({@link SchemaValidationException}); otherwise the result is normalized. The parts are checked by
 * {@link EntityValidator}, {@link GroupValidator}, {@link FeatureValidator} and {@link SettingsValidator}, sharing one
 * {@link DefinitionChecks}.
 */
public final class DefinitionValidator {

    public static final String DEFAULT_EVENT_TIMESTAMP_COLUMN = "event_timestamp";

    private final DefinitionChecks checks = new DefinitionChecks();
    private final EntityValidator entityValidator = new EntityValidator(checks);
    /** Feature names of the groups in this batch, by group name. */
    private final Map<String, Set<String>> batchFeatures = new HashMap<>();
    private final GroupValidator groupValidator;

    private DefinitionValidator(RegistryView registry) {
        SettingsValidator settings = new SettingsValidator(checks);
        FeatureValidator features = new FeatureValidator(checks, settings, registry, batchFeatures);
        this.groupValidator = new GroupValidator(checks, entityValidator, settings, features, registry);
    }

    public static ValidatedRegistration validate(RegistrationSpec spec, RegistryView registry) {
        return new DefinitionValidator(registry).run(spec);
    }

    private ValidatedRegistration run(RegistrationSpec spec) {
        if (spec == null || spec.entitiesOrEmpty().isEmpty() && spec.groupsOrEmpty().isEmpty() && spec.featureServicesOrEmpty().isEmpty()) {
            throw new SchemaValidationException("The registration",
                    List.of(new Violation("registration", ValidationRule.EMPTY, "give at least one entity, feature group or feature service")));
        }
        List<EntityDraft> entities = new ArrayList<>();
        Set<String> entityNames = new HashSet<>();
        for (int i = 0; i < spec.entitiesOrEmpty().size(); i++) {
            entityValidator.entity("entities[" + i + "]", spec.entitiesOrEmpty().get(i), entityNames).ifPresent(entities::add);
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
            groupValidator.group("groups[" + i + "]", spec.groupsOrEmpty().get(i), groupNames).ifPresent(groups::add);
        }
        checks.violations.throwIfAny("The registration", false);
        return new ValidatedRegistration(entities, groups);
    }
}
