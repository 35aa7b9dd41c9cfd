package io.quiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

/** The configuration's defaults and overrides, read by SmallRye Config alone (no service, milliseconds). */
public class QuiverConfigDefaultsTest {

    public static QuiverConfig config(Map<String, String> values) {
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(QuiverConfig.class)
                .withSources(new MapBackedConfigSource("test", values) {
                }).build();
        return c.getConfigMapping(QuiverConfig.class);
    }

    @Test
    void theDefaultsAreTheSeedsDefaults() {
        QuiverConfig c = config(Map.of());
        assertThat(c.mode()).isEqualTo(Mode.MATERIALIZED);
        assertThat(c.storageFormat()).isEqualTo(StorageFormat.PARQUET);
        assertThat(c.storagePath()).isEqualTo("feature_store");
        assertThat(c.enableVirtualization()).isTrue();
        assertThat(c.queryExecutorType()).isEqualTo(QueryExecutorType.DUCKDB);
        assertThat(c.registerVirtualTables()).isTrue();
        assertThat(c.virtualTablePrefix()).isEqualTo("features_");
        assertThat(c.hybridThresholdRows()).isEqualTo(10_000);
        assertThat(c.hybridCacheTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(c.autoMaterializeOnRead()).isTrue();
    }

    @Test
    void theRequestLimitsHaveBoundedDefaults() {
        QuiverConfig c = config(Map.of());
        assertThat(c.api().maxOnlineEntities()).isEqualTo(10_000);
        assertThat(c.ingest().maxGraphqlRows()).isEqualTo(10_000);
        assertThat(c.ingest().maxConcurrentUploads()).isEqualTo(4);
        assertThat(c.online().maxConcurrentFallbacks()).isEqualTo(4);
        assertThat(c.registry().maxPageSize()).isEqualTo(500);
    }

    @Test
    void settingsOverrideTheDefaults() {
        QuiverConfig c = config(Map.of("quiver.mode", "HYBRID", "quiver.hybrid-threshold-rows", "5", "quiver.hybrid-cache-ttl", "PT5M"));
        assertThat(c.mode()).isEqualTo(Mode.HYBRID);
        assertThat(c.hybridThresholdRows()).isEqualTo(5);
        assertThat(c.hybridCacheTtl()).isEqualTo(Duration.ofMinutes(5));
    }
}
