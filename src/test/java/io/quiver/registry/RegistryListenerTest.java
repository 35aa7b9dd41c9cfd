package io.quiver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The listener's pure parts: what it sends and how it connects. */
class RegistryListenerTest {

    @Test
    void theListenerConnectsWithThePoolsAdditionalJdbcProperties() {
        var config = new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of(
                "quarkus.datasource.jdbc.additional-jdbc-properties.sslmode", "verify-full",
                "quarkus.datasource.jdbc.additional-jdbc-properties.sslrootcert", "/etc/ssl/pg.crt",
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://db/quiver"), "test", 100)).build();

        Properties p = RegistryListener.additionalProperties(config);

        assertThat(p).containsOnly(Map.entry("sslmode", "verify-full"), Map.entry("sslrootcert", "/etc/ssl/pg.crt"));
    }

    @Test
    void aPayloadTooLargeForPostgresqlSaysEverythingChanged() {
        assertThat(RegistryListener.payload(Set.of("a"))).isEqualTo("a");
        Set<String> many = new LinkedHashSet<>();
        for (int i = 0; i < 1_000; i++) {
            many.add("group_number_" + i);
        }
        assertThat(RegistryListener.payload(many)).isEqualTo(RegistryListener.EVERYTHING);
    }
}
