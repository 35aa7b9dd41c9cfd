package io.quiver.online;

import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.model.FeatureGroup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which online table holds a group version's latest values now: its own ({@link OnlineCodec#table(FeatureGroup)}),
 * or, for a hybrid group filled from its query, the generation its latest fill loaded
 * ({@link OnlineCodec#generation(FeatureGroup, long)}). Reads, write-through and materialization all go through here,
 * so they agree on the table.
 */
@ApplicationScoped
public class OnlineTables {

    private final EffectiveConfigResolver settings;

    public OnlineTables(EffectiveConfigResolver settings) {
        this.settings = settings;
    }

    public String of(FeatureGroup g) {
        return settings.onlineTable(g).orElseGet(() -> OnlineCodec.table(g));
    }
}
