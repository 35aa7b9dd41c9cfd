package io.quiver.registry.validation;

import static io.quiver.registry.Specs.entity;
import static io.quiver.registry.Specs.feature;
import static io.quiver.registry.Specs.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quiver.error.SchemaValidationException;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;
import io.quiver.registry.Specs;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureType;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.spec.FeatureGroupSpec;
import io.quiver.registry.spec.FeatureSpec;
import io.quiver.registry.spec.RegistrationSpec;
import io.quiver.registry.spec.SettingSpec;

/** The definition validator on its own, against a registry held in memory: no service, no database. */
class DefinitionValidatorTest {

    private static final RegistryView REGISTRY = Specs.view(Map.of("customer", List.of(new JoinKey("customer_id", DataType.BIGINT))),
            List.of("base.amount"));

    private static List<String> violations(RegistrationSpec spec) {
        try {
            DefinitionValidator.validate(spec, REGISTRY);
        } catch (SchemaValidationException e) {
            return e.violations().stream().map(v -> v.path() + " " + v.rule()).toList();
        }
        throw new AssertionError("expected violations");
    }

    @Test
    void aValidDefinitionIsNormalized() {
        Specs.Group g = new Specs.Group("spend", "customer", feature("total", " decimal ( 12 , 2 ) "), feature("tags", "array<string>"));
        g.config = List.of(new SettingSpec("hybrid_cache_ttl", "3600"));
        ValidatedRegistration valid = DefinitionValidator.validate(registration(List.of(), List.of(g.spec())), REGISTRY);
        ValidatedRegistration.GroupDraft draft = valid.groups().get(0);
        assertThat(draft.eventTimestampColumn()).isEqualTo("event_timestamp");
        assertThat(draft.features()).extracting(f -> f.type().toString()).containsExactly("DECIMAL(12,2)", "ARRAY<STRING>");
        assertThat(draft.features()).extracting(ValidatedRegistration.FeatureDraft::featureType)
                .containsExactly(FeatureType.NUMERICAL, FeatureType.COMPLEX);
        assertThat(draft.config()).containsValue("PT1H");
    }

    @Test
    void everyViolationOfEveryPartIsListedWithItsPathAndRule() {
        Specs.Group g = new Specs.Group("Bad-Name", "nobody", feature("x", "DOUBEL"), feature("x", "INT"));
        g.ttlSeconds = -1L;
        g.config = List.of(new SettingSpec("hybrid_threshold", "1"), new SettingSpec("mode", "HYBRID"));
        assertThat(violations(registration(List.of(entity("customer2", "id", "DOUBLE")), List.of(g.spec())))).containsExactlyInAnyOrder(
                "entities[0].joinKeys[0].type KEY_TYPE",
                "groups[0].name NAME_PATTERN",
                "groups[0].entities[0] UNKNOWN_ENTITY",
                "groups[0].ttlSeconds NEGATIVE_TTL",
                "groups[0].config[0].key UNKNOWN_SETTING",
                "groups[0].config[1].key USE_FIELD",
                "groups[0].features[0].type UNKNOWN_TYPE",
                "groups[0].features[1].name DUPLICATE_FEATURE");
    }

    @Test
    void entitiesAndFeaturesOfTheSameRegistrationCanBeUsedAtOnce() {
        FeatureSpec derived = new FeatureSpec("ratio", "DOUBLE", null, null, null, null, null, null, null, null, null, null,
                List.of("fresh.x", "base.amount"), List.of("silver.transactions"), null);
        FeatureGroupSpec fresh = new Specs.Group("fresh", "store", feature("x", "DOUBLE"), derived).spec();
        ValidatedRegistration valid = DefinitionValidator.validate(registration(List.of(entity("store", "store_id", "STRING")),
                List.of(fresh)), REGISTRY);
        assertThat(valid.groups().get(0).features().get(1).sourceFeatures()).containsExactly("base.amount", "fresh.x");
    }

    @Test
    void unknownLineageAndSelfLineageAreViolations() {
        FeatureSpec self = new FeatureSpec("y", "DOUBLE", null, null, null, null, null, null, null, null, null, null,
                List.of("g.y", "base.nope", "not a ref"), null, null);
        assertThat(violations(registration(List.of(), List.of(new Specs.Group("g", "customer", self).spec())))).containsExactly(
                "groups[0].features[0].sourceFeatures[0] SELF_LINEAGE",
                "groups[0].features[0].sourceFeatures[1] UNKNOWN_FEATURE",
                "groups[0].features[0].sourceFeatures[2] REFERENCE_SYNTAX");
    }

    @Test
    void beyondTheListingCapViolationsAreCountedNotListed() {
        List<FeatureSpec> features = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            features.add(feature("f" + i, "NOPE"));
        }
        Specs.Group g = new Specs.Group("wide", "customer");
        g.features = features;
        assertThatThrownBy(() -> DefinitionValidator.validate(registration(List.of(), List.of(g.spec())), REGISTRY))
                .isInstanceOfSatisfying(SchemaValidationException.class, e -> {
                    assertThat(e.violations()).hasSize(Violations.MAX_LISTED);
                    assertThat(e.total()).isEqualTo(150);
                    assertThat(e.violations()).allMatch(v -> v.rule() == ValidationRule.UNKNOWN_TYPE);
                });
    }

    @Test
    void anEmptyRegistrationIsRefused() {
        assertThat(violations(registration(List.of(), List.of()))).containsExactly("registration EMPTY");
    }
}
