package io.quiver.registry;

import java.util.Optional;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import io.quiver.config.QuiverConfig;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Group definitions by name for the hot paths (serving, ingest). Entries are dropped when a registration through
 * this instance commits; entries older than {@code quiver.registry.cache-ttl} are reloaded, which bounds how long
 * another replica's change can go unseen.
 */
@ApplicationScoped
public class FeatureGroupCache {

    private record Key(String name, int version) {
    }

    private final LoadingCache<Key, Optional<GroupSchema>> cache;

    public FeatureGroupCache(RegistryCatalog catalog, QuiverConfig config) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.registry().cacheMaxEntries())
                .expireAfterWrite(config.registry().cacheTtl())
                .build(key -> catalog.find(key.name(), key.version()));
    }

    /** The group version (0 = latest), if registered. */
    public Optional<GroupSchema> get(String name, int version) {
        return cache.get(new Key(name, version));
    }

    /**
     * Runs after the registering transaction commits. Caffeine waits for an in-flight load of the same key before
     * removing it, so a load that read the old definition cannot survive the invalidation.
     */
    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RegistryChanged event) {
        cache.asMap().keySet().removeIf(k -> event.groupNames().contains(k.name()));
    }

    /** Drops the entry and loads it afresh. */
    public Optional<GroupSchema> reload(String name, int version) {
        Key key = new Key(name, version);
        cache.invalidate(key);
        return cache.get(key);
    }
}
