package io.quiver.offline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.objectstore.ObjectKeys;
import io.quiver.objectstore.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Local copies of data files for DuckDB, which cannot read s3:// here. Objects are immutable (every write makes a
 * new key), so a cached copy never goes stale; a copy appears under its key only once complete. Readers hold the
 * copies they use in a {@link Lease}; past {@code quiver.offline.cache-max-bytes} the least recently used copies
 * that no lease holds are deleted (and fetched again when next needed). Copies left by an earlier run are indexed
 * on first use.
 */
@ApplicationScoped
public class ObjectFileCache {

    private static final Logger LOG = Logger.getLogger(ObjectFileCache.class);

    private final ObjectStore objects;
    private final Path root;
    private final long maxBytes;
    /** Guarded by {@code this}. */
    private final Map<String, Entry> entries = new HashMap<>();
    private long bytes;
    private long clock;
    private boolean indexed;

    private static final class Entry {
        final Path path;
        final long size;
        long lastUsed;
        int leases;

        Entry(Path path, long size, long lastUsed) {
            this.path = path;
            this.size = size;
            this.lastUsed = lastUsed;
        }
    }

    /** Local copies of some objects, kept on disk until closed. */
    public final class Lease implements AutoCloseable {
        private final Map<String, Path> paths;
        private boolean closed;

        private Lease(Map<String, Path> paths) {
            this.paths = paths;
        }

        public Path path(String key) {
            Path p = paths.get(key);
            if (p == null) {
                throw new IllegalArgumentException(key + " is not part of this lease");
            }
            return p;
        }

        /** The copies in the order their keys were given. */
        public List<Path> paths() {
            return List.copyOf(paths.values());
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(paths.keySet());
            }
        }
    }

    @Inject
    public ObjectFileCache(ObjectStore objects, QuiverConfig config) {
        this(objects, Path.of(config.offline().cacheDir().orElse(System.getProperty("java.io.tmpdir") + "/quiver-cache")),
                config.offline().cacheMaxBytes());
    }

    ObjectFileCache(ObjectStore objects, Path root, long maxBytes) {
        this.objects = objects;
        this.root = root.toAbsolutePath();
        this.maxBytes = maxBytes;
    }

    /** Local copies of the objects (downloaded where missing), held until the lease is closed. */
    public Lease lease(List<String> keys) {
        Map<String, Path> paths = new LinkedHashMap<>();
        try {
            for (String key : keys) {
                if (!paths.containsKey(key)) {
                    paths.put(key, acquire(key));
                }
            }
            return new Lease(paths);
        } catch (RuntimeException e) {
            release(paths.keySet());
            throw e;
        }
    }

    /** Bytes the copies take now (for tests and metrics). */
    public synchronized long bytes() {
        return bytes;
    }

    private Path acquire(String key) {
        Path local = root.resolve(ObjectKeys.check(key));
        synchronized (this) {
            index();
            Entry e = entries.get(key);
            if (e != null && Files.isRegularFile(e.path)) {
                e.leases++;
                e.lastUsed = ++clock;
                return e.path;
            }
        }
        long size = download(key, local);
        synchronized (this) {
            Entry e = entries.get(key);
            if (e == null) {
                e = new Entry(local, size, ++clock);
                entries.put(key, e);
                bytes += size;
            }
            e.leases++;
            e.lastUsed = ++clock;
            evict();
            return e.path;
        }
    }

    private synchronized void release(Iterable<String> keys) {
        for (String key : keys) {
            Entry e = entries.get(key);
            if (e != null && e.leases > 0) {
                e.leases--;
            }
        }
        evict();
    }

    /** Deletes least recently used copies no lease holds until the cache fits its bound. */
    private void evict() {
        if (bytes <= maxBytes) {
            return;
        }
        List<Map.Entry<String, Entry>> candidates = new ArrayList<>(entries.entrySet());
        candidates.sort(Comparator.comparingLong(c -> c.getValue().lastUsed));
        for (Map.Entry<String, Entry> c : candidates) {
            if (bytes <= maxBytes) {
                return;
            }
            if (c.getValue().leases == 0) {
                try {
                    Files.deleteIfExists(c.getValue().path);
                    entries.remove(c.getKey());
                    bytes -= c.getValue().size;
                } catch (IOException ex) {
                    LOG.warnf("could not evict cached copy %s: %s", c.getValue().path, ex.getMessage());
                }
            }
        }
    }

    private long download(String key, Path local) {
        try {
            Files.createDirectories(local.getParent());
            Path temp = Files.createTempFile(local.getParent(), local.getFileName().toString(), ".part");
            try {
                objects.download(key, temp);
                Files.move(temp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return Files.size(local);
        } catch (IOException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not keep a local copy of data file " + key
                    + " (the service's scratch disk failed or is full); retry later", e);
        }
    }

    /** Registers copies an earlier run left, oldest first, so they count against the bound and can be evicted. */
    private void index() {
        if (indexed) {
            return;
        }
        indexed = true;
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).sorted(Comparator.comparingLong(ObjectFileCache::modified)).forEach(p -> {
                if (p.getFileName().toString().endsWith(".part")) {
                    p.toFile().delete(); // a download an earlier run did not finish
                    return;
                }
                String key = root.relativize(p).toString().replace('\\', '/');
                try {
                    long size = Files.size(p);
                    entries.put(ObjectKeys.check(key), new Entry(p, size, ++clock));
                    bytes += size;
                } catch (IOException | RuntimeException e) {
                    LOG.debugf("ignoring %s in the file cache: %s", p, e.getMessage());
                }
            });
        } catch (IOException e) {
            LOG.warnf("could not index the file cache at %s: %s", root, e.getMessage());
        }
        evict();
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
