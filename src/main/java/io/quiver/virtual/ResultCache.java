package io.quiver.virtual;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quiver.config.QuiverConfig;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Computed results (the rows a read of a virtual group needed, as a local Parquet file) kept for reuse, for
 * {@code quiver.virtual.result-cache-ttl} and within {@code result-cache-max-bytes}. A key holds everything the
 * result depends on: the group version, its template and parameter values, the version of every data source it
 * read (a changed file is a new version: a change in the lake is never served stale), and the entities and time
 * range asked for. A result in use is deleted only when its last reader lets go.
 */
@ApplicationScoped
public class ResultCache {

    private static final Logger LOG = Logger.getLogger(ResultCache.class);

    /** What a result depends on. */
    public record Key(long groupId, String sql, List<Object> parameters, List<String> sourceVersions, List<List<Object>> keys,
            Instant from, Instant to) {
    }

    /** A result file held by readers; deleted once dropped from the cache and released by all. */
    static final class Entry {
        private final Path file;
        private final long bytes;
        private int leases;
        private boolean retired;

        Entry(Path file, long bytes) {
            this.file = file;
            this.bytes = bytes;
        }

        synchronized boolean lease() {
            if (retired) {
                return false;
            }
            leases++;
            return true;
        }

        synchronized void release() {
            leases--;
            deleteIfUnused();
        }

        synchronized void retire() {
            retired = true;
            deleteIfUnused();
        }

        private void deleteIfUnused() {
            if (retired && leases <= 0) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    LOG.debugf("could not delete the cached result %s: %s", file, e.getMessage());
                }
            }
        }
    }

    /** A result held until closed. */
    public static final class Lease implements AutoCloseable {
        private final Entry entry;
        private boolean closed;

        private Lease(Entry entry) {
            this.entry = entry;
        }

        public Path file() {
            return entry.file;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                entry.release();
            }
        }
    }

    private final Cache<Key, Entry> cache;

    public ResultCache(QuiverConfig config) {
        QuiverConfig.Virtual v = config.virtual();
        this.cache = v.resultCacheTtl().isZero() ? null : Caffeine.newBuilder().expireAfterWrite(v.resultCacheTtl())
                .maximumWeight(v.resultCacheMaxBytes()).weigher((Key k, Entry e) -> (int) Math.min(Integer.MAX_VALUE, Math.max(1, e.bytes)))
                .removalListener((Key k, Entry e, com.github.benmanes.caffeine.cache.RemovalCause cause) -> {
                    if (e != null) {
                        e.retire();
                    }
                }).build();
    }

    /** The cached result, leased, if there is one. */
    public Optional<Lease> get(Key key) {
        if (cache == null) {
            return Optional.empty();
        }
        Entry e = cache.getIfPresent(key);
        return e != null && e.lease() ? Optional.of(new Lease(e)) : Optional.empty();
    }

    /** Keeps a freshly computed result (when caching is on) and leases it to its first reader. */
    public Lease put(Key key, Path file) {
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            bytes = 1;
        }
        Entry entry = new Entry(file, bytes);
        entry.lease();
        if (cache == null) {
            entry.retire(); // deleted as soon as its reader is done
        } else {
            cache.asMap().merge(key, entry, (old, fresh) -> fresh);
        }
        return new Lease(entry);
    }

    /** Drops every result (e.g. on shutdown); results in use are deleted when released. */
    public void clear() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        clear();
    }
}
