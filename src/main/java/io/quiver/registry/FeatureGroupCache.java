package io.quiver.registry;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiFunction;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import io.quiver.config.QuiverConfig;
import io.quiver.registry.model.FeatureService;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

/**
 * Group definitions by name for the hot paths (serving, ingest). Entries are dropped when a registration through
 * this instance commits; entries older than {@code quiver.registry.cache-ttl} are reloaded, which bounds how long
 * another replica's change can go unseen.
 * <p>
 * A load that read the database before a change committed may finish after the invalidation, when removing entries
 * cannot reach it (Caffeine keeps a load in flight out of the map's view). So every entry carries the generation of
 * its name at the moment its load began, every change bumps that generation before dropping entries, and an entry
 * whose generation is behind is never served: it is loaded again.
 */
@ApplicationScoped
public class FeatureGroupCache {

    /** Generations per hash slot of a name: bounded, and a collision only costs a needless reload. */
    private static final int SLOTS = 1024;
    private static final int MAX_RELOADS = 5;

    private record Key(String name, int version) {
    }

    /** A group's value, or a feature service's (its key's name carries {@link FeatureServices#CACHE_PREFIX}). */
    private record Loaded(Optional<?> value, long generation) {
    }

    private final BiFunction<String, Integer, Optional<GroupSchema>> loader;
    private final BiFunction<String, Integer, Optional<FeatureService>> serviceLoader;
    private final AtomicLongArray generations = new AtomicLongArray(SLOTS);
    private final LoadingCache<Key, Loaded> cache;

    @Inject
    public FeatureGroupCache(RegistryCatalog catalog, QuiverConfig config) {
        this(catalog::find, catalog::findService, config.registry().cacheTtl(), config.registry().cacheMaxEntries());
    }

    FeatureGroupCache(BiFunction<String, Integer, Optional<GroupSchema>> loader, Duration ttl, long maxEntries) {
        this(loader, (name, version) -> Optional.empty(), ttl, maxEntries);
    }

    FeatureGroupCache(BiFunction<String, Integer, Optional<GroupSchema>> loader,
            BiFunction<String, Integer, Optional<FeatureService>> serviceLoader, Duration ttl, long maxEntries) {
        this.loader = loader;
        this.serviceLoader = serviceLoader;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl)
                .build(this::load);
    }

    private Loaded load(Key key) {
        long generation = generation(key.name()); // read before the database: a change after this makes the entry stale
        return new Loaded(key.name().startsWith(FeatureServices.CACHE_PREFIX)
                ? serviceLoader.apply(key.name().substring(FeatureServices.CACHE_PREFIX.length()), key.version())
                : loader.apply(key.name(), key.version()), generation);
    }

    private long generation(String name) {
        return generations.get(Math.floorMod(name.hashCode(), SLOTS));
    }

    /** The group version (0 = latest), if registered. */
    @SuppressWarnings("unchecked")
    public Optional<GroupSchema> get(String name, int version) {
        return (Optional<GroupSchema>) lookup(name, version);
    }

    /** The feature service version (0 = latest), if registered; invalidated like groups, under its prefixed name. */
    @SuppressWarnings("unchecked")
    public Optional<FeatureService> service(String name, int version) {
        return (Optional<FeatureService>) lookup(FeatureServices.CACHE_PREFIX + name, version);
    }

    private Optional<?> lookup(String name, int version) {
        Key key = new Key(name, version);
        for (int i = 0; i < MAX_RELOADS; i++) {
            Loaded loaded = cache.get(key);
            if (loaded.generation() == generation(name)) {
                return loaded.value();
            }
            cache.asMap().remove(key, loaded);
        }
        return load(key).value(); // changing faster than it loads: answer from the database, uncached
    }

    /**
     * Runs after the registering transaction commits: the names' generations move on first, so that a load still in
     * flight, which read the old definition, is recognized as stale; then their entries are dropped.
     */
    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) RegistryChanged event) {
        invalidate(event);
    }

    public void invalidate(RegistryChanged event) {
        event.groupNames().forEach(n -> generations.incrementAndGet(Math.floorMod(n.hashCode(), SLOTS)));
        cache.asMap().keySet().removeIf(k -> event.groupNames().contains(k.name()));
    }

    /** Drops every entry: after missing change notifications, any of them may be stale. */
    public void invalidateAll() {
        for (int i = 0; i < SLOTS; i++) {
            generations.incrementAndGet(i);
        }
        cache.invalidateAll();
    }

    /** Drops the entry and loads it afresh. */
    public Optional<GroupSchema> reload(String name, int version) {
        cache.invalidate(new Key(name, version));
        return get(name, version);
    }
}
