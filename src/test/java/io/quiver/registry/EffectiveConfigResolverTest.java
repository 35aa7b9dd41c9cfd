package io.quiver.registry;

import static io.quiver.registry.Specs.feature;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.quiver.config.Mode;
import io.quiver.config.QuiverConfigDefaultsTest;
import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.ConfigLayer;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.spec.RegistrationSpec;
import io.quiver.registry.spec.SettingSpec;
import io.quiver.registry.validation.DefinitionValidator;

/** Settings resolved through the layers global -> group -> feature, most specific first, without a service. */
class EffectiveConfigResolverTest {

    private static final List<JoinKey> KEYS = List.of(new JoinKey("customer_id", DataType.BIGINT));

    private static FeatureGroup group(Specs.Group g) {
        var draft = DefinitionValidator.validate(new RegistrationSpec(List.of(), List.of(g.spec())),
                Specs.view(Map.of("customer", KEYS), List.of())).groups().get(0);
        return Specs.stored(draft, KEYS).group();
    }

    private static Map<String, EffectiveSetting> byKey(List<EffectiveSetting> settings) {
        return settings.stream().collect(Collectors.toMap(EffectiveSetting::key, Function.identity()));
    }

    @Test
    void eachSettingComesFromTheMostSpecificLayerThatGivesIt() {
        EffectiveConfigResolver resolver = new EffectiveConfigResolver(QuiverConfigDefaultsTest.config(Map.of("quiver.hybrid-threshold-rows", "7")));
        Specs.Group g = new Specs.Group("spend", "customer", feature("total", "DOUBLE"));
        g.config = List.of(new SettingSpec("hybrid_cache_ttl", "60"));
        FeatureGroup group = group(g);

        Map<String, EffectiveSetting> forGroup = byKey(resolver.forGroup(group));
        assertThat(forGroup.get("hybrid_threshold_rows")).satisfies(s -> {
            assertThat(s.value()).isEqualTo("7");
            assertThat(s.source()).isEqualTo(ConfigLayer.GLOBAL);
        });
        assertThat(forGroup.get("hybrid_cache_ttl")).satisfies(s -> {
            assertThat(s.value()).isEqualTo("PT1M");
            assertThat(s.source()).isEqualTo(ConfigLayer.GROUP);
        });
        assertThat(forGroup.get("storage_path").value()).isEqualTo("feature_store/spend");

        Map<String, EffectiveSetting> forFeature = byKey(resolver.forFeature(group, Map.of(ConfigKey.HYBRID_CACHE_TTL, "PT2M")));
        assertThat(forFeature.get("hybrid_cache_ttl").value()).isEqualTo("PT2M");
        assertThat(forFeature.get("hybrid_cache_ttl").source()).isEqualTo(ConfigLayer.FEATURE);
        assertThat(forFeature.get("hybrid_threshold_rows").source()).isEqualTo(ConfigLayer.GLOBAL);
    }

    @Test
    void aGroupWithoutAModeFollowsTheGlobalOne() {
        Specs.Group plain = new Specs.Group("plain", "customer", feature("x", "DOUBLE"));
        Specs.Group hybrid = new Specs.Group("hyb", "customer", feature("x", "DOUBLE"));
        hybrid.mode = Mode.HYBRID;
        EffectiveConfigResolver virtualByDefault = new EffectiveConfigResolver(QuiverConfigDefaultsTest.config(Map.of("quiver.mode", "VIRTUALIZED")));
        assertThat(virtualByDefault.mode(group(plain))).isEqualTo(Mode.VIRTUALIZED);
        assertThat(virtualByDefault.mode(group(hybrid))).isEqualTo(Mode.HYBRID);
    }
}
