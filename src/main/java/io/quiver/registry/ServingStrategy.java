package io.quiver.registry;

import java.util.Optional;

import io.quiver.config.Mode;
import io.quiver.registry.model.FeatureGroup;

/**
 * Which strategy serves a HYBRID group that could be served either way (it has a query template and virtualization
 * is enabled for it). Implemented by the hybrid selector, which sits above the registry; asked on every read, so it
 * answers from memory.
 */
public interface ServingStrategy {

    /** MATERIALIZED once its stored data has been filled, VIRTUALIZED otherwise; empty when nothing was decided yet. */
    Optional<Mode> served(FeatureGroup group);

    /**
     * The online table holding the group's latest values when a fill of its own put them there (a generation, see
     * {@code OnlineTables}); empty when the group's own table holds them.
     */
    Optional<String> onlineTable(FeatureGroup group);
}
