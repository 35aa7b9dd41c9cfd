package io.quiver.registry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quiver.error.InvalidArgumentException;

class FeatureRefTest {

    @Test
    void dotAndColonNameTheLatestVersion() {
        assertThat(FeatureRef.parse("customer_360.avg_ticket")).isEqualTo(new FeatureRef("customer_360", 0, "avg_ticket"));
        assertThat(FeatureRef.parse("customer_360:avg_ticket")).isEqualTo(new FeatureRef("customer_360", 0, "avg_ticket"));
        assertThat(FeatureRef.parse("g.f").latest()).isTrue();
    }

    @Test
    void atNamesAVersion() {
        FeatureRef ref = FeatureRef.parse("customer_360@3.avg_ticket");
        assertThat(ref.version()).isEqualTo(3);
        assertThat(ref.toString()).isEqualTo("customer_360@3.avg_ticket");
        assertThat(ref.unversioned()).isEqualTo("customer_360.avg_ticket");
        assertThat(FeatureRef.parse("g@v2:f").version()).isEqualTo(2);
    }

    @Test
    void versionsStartAtOne() {
        assertThatThrownBy(() -> FeatureRef.parse("g@0.f")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("versions start at 1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nogroup", "G.f", "g.F", "g..f", "g.f.h", "g@x.f", "1g.f", " g . f "})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> FeatureRef.parse(text)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("group.feature");
    }
}
