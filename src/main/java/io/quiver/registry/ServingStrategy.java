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
}
