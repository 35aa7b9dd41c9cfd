package io.quiver.registry.validation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.spec.EntitySpec;
import io.quiver.registry.spec.JoinKeySpec;
import io.quiver.registry.validation.ValidatedRegistration.EntityDraft;
import io.quiver.error.ValidationRule;

/** An entity: its name and join keys. */
final class EntityValidator {

    private final DefinitionChecks checks;
    /** Join keys of the entities validated so far, by name: groups of the same registration may use them. */
    private final Map<String, List<JoinKey>> batchEntities = new HashMap<>();

    EntityValidator(DefinitionChecks checks) {
        this.checks = checks;
    }

    /** The join keys of an entity of this registration, if it passed. */
    Optional<List<JoinKey>> keys(String entity) {
        return Optional.ofNullable(batchEntities.get(entity));
    }

    Optional<EntityDraft> entity(String path, EntitySpec e, Set<String> seen) {
        if (e == null) {
            checks.add(path, ValidationRule.REQUIRED, "an entity definition is required here");
            return Optional.empty();
        }
        long before = checks.violations.total();
        checks.name(path + ".name", e.name(), "entity");
        if (e.name() != null && !seen.add(e.name())) {
            checks.add(path + ".name", ValidationRule.DUPLICATE_ENTITY, "entity '" + e.name() + "' appears twice in this registration");
        }
        List<JoinKey> keys = new ArrayList<>();
        if (e.joinKeys() == null || e.joinKeys().isEmpty()) {
            checks.add(path + ".joinKeys", ValidationRule.EMPTY_KEYS, "an entity needs at least one join key, e.g. {name: \"customer_id\", type: \"BIGINT\"}");
        } else {
            Set<String> keyNames = new HashSet<>();
            for (int k = 0; k < e.joinKeys().size(); k++) {
                joinKey(path + ".joinKeys[" + k + "]", e.joinKeys().get(k), keyNames).ifPresent(keys::add);
            }
        }
        checks.text(path + ".description", e.description());
        if (checks.violations.total() > before) {
            return Optional.empty();
        }
        batchEntities.put(e.name(), keys);
        return Optional.of(new EntityDraft(e.name(), keys, DefinitionChecks.blankToNull(e.description())));
    }
    private Optional<JoinKey> joinKey(String path, JoinKeySpec k, Set<String> seen) {
        if (k == null) {
            checks.add(path, ValidationRule.REQUIRED, "a join key is required here");
            return Optional.empty();
        }
        boolean ok = checks.name(path + ".name", k.name(), "join key");
        if (k.name() != null && !seen.add(k.name())) {
            checks.add(path + ".name", ValidationRule.DUPLICATE_KEY, "join key '" + k.name() + "' appears twice");
            ok = false;
        }
        Optional<FeatureDataType> type = checks.type(path + ".type", k.type());
        if (type.isPresent() && !type.get().base().isKeyType()) {
            checks.add(path + ".type", ValidationRule.KEY_TYPE, "join keys must be INT, BIGINT or STRING, not " + type.get());
            return Optional.empty();
        }
        return ok && type.isPresent() ? Optional.of(new JoinKey(k.name(), type.get().base())) : Optional.empty();
    }
}
