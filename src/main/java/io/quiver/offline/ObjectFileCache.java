package io.quiver.offline;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
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
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectKeys;
import io.quiver.objectstore.ObjectNotFoundException;
import io.quiver.objectstore.ObjectStore;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Local copies of data files for DuckDB, which cannot read s3:// here. Objects are immutable (every write makes a
 * new key), so a cached copy never goes stale; a copy appears under its key only once complete. Readers hold the
 * copies they use in a {@link Lease}.
 * <p>
 * The bound {@code quiver.offline.cache-max-bytes} holds for every copy, leased or not: room for a copy is reserved
 * before it is downloaded, making it by deleting the least recently used copies no lease holds; when the leased
 * copies alone leave no room, the lease is refused (SERVICE_BUSY) rather than the disk filled.
 * <p>
 * The directory is this instance's own: it takes an exclusive lock on it, and when another live process (or another
 * instance in this one) holds the configured directory it uses {@code <dir>-2}, {@code -3}, ... instead, so two
 * instances on one host never evict each other's files. A directory an earlier run left is reused, its copies
 * indexed on first use.
 */
@ApplicationScoped
public class ObjectFileCache {

    private static final Logger LOG = Logger.getLogger(ObjectFileCache.class);
    private static final String LOCK = ".lock";
    /** Where copies of changing objects live, one directory per version. */
    private static final String VERSIONS = "__versions/";

    private final ObjectStore objects;
    private final Path configured;
    private final long maxBytes;
    /** Guarded by {@code this}. */
    private final Map<String, Entry> entries = new HashMap<>();
    /** Bytes of copies present plus bytes reserved for downloads in progress. */
    private long bytes;
    private long clock;
    private Path root;
    private FileChannel lockChannel;
    private FileLock lock;

    private static final class Entry {
        final Path path;
        long size;
        long lastUsed;
        int leases;
        /** Until the download is in place: others wait for it rather than fetch it again. */
        boolean downloading;

        Entry(Path path, long size, long lastUsed) {
            this.path = path;
            this.size = size;
            this.lastUsed = lastUsed;
        }
    }

    /** Local copies of some objects, kept on disk until closed. */
    public final class Lease implements AutoCloseable {
        /** By object key. */
        private final Map<String, Path> paths;
        private final List<String> cacheKeys;
        private boolean closed;

        private Lease(Map<String, Path> paths, List<String> cacheKeys) {
            this.paths = paths;
            this.cacheKeys = cacheKeys;
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
                release(cacheKeys);
            }
        }
    }

    @Inject
    public ObjectFileCache(ObjectStore objects, QuiverConfig config) {
        this(objects, Path.of(config.offline().cacheDir().orElse(System.getProperty("java.io.tmpdir") + "/quiver-cache")),
                config.offline().cacheMaxBytes());
    }

    /** A cache over a directory of its own (tools and plain tests; the service's is built from its configuration). */
    public ObjectFileCache(ObjectStore objects, Path root, long maxBytes) {
        this.objects = objects;
        this.configured = root.toAbsolutePath();
        this.maxBytes = maxBytes;
    }

    /** Local copies of the data files (downloaded where missing), held until the lease is closed. */
    public Lease leaseFiles(Collection<SnapshotFile> files) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        files.forEach(f -> sizes.put(f.key(), f.bytes()));
        return lease(sizes);
    }

    /** Local copies of the objects, whose sizes are looked up where they are not cached yet. */
    public Lease lease(List<String> keys) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        keys.forEach(k -> sizes.put(k, -1L));
        return lease(sizes);
    }

    private Lease lease(Map<String, Long> sizes) {
        Map<String, Path> paths = new LinkedHashMap<>();
        List<String> taken = new ArrayList<>();
        try {
            for (Map.Entry<String, Long> e : sizes.entrySet()) {
                paths.put(e.getKey(), acquire(e.getKey(), e.getKey(), e.getValue()));
                taken.add(e.getKey());
            }
            return new Lease(paths, taken);
        } catch (RuntimeException e) {
            release(taken);
            throw e;
        }
    }

    /**
     * Local copies of objects that may change (lake files), at the versions given: each copy is kept under its etag,
     * so an object rewritten since is a new copy, never a stale one. Old versions age out like any copy.
     */
    public Lease leaseVersions(Collection<ObjectInfo> objects) {
        return leaseVersions(objects, Runnable::run);
    }

    /** As {@link #leaseVersions(Collection)}, fetching missing copies in parallel on {@code fetchers}. */
    public Lease leaseVersions(Collection<ObjectInfo> objects, java.util.concurrent.Executor fetchers) {
        Map<String, java.util.concurrent.CompletableFuture<Path>> pending = new LinkedHashMap<>();
        Map<String, String> cacheKeys = new LinkedHashMap<>();
        RuntimeException failure = null;
        for (ObjectInfo o : objects) {
            String cacheKey = VERSIONS + o.etag().replaceAll("[^A-Za-z0-9_.=-]", "_") + "/" + o.key();
            cacheKeys.put(o.key(), cacheKey);
            try {
                pending.put(o.key(), java.util.concurrent.CompletableFuture.supplyAsync(() -> acquire(cacheKey, o.key(), o.size()), fetchers));
            } catch (RuntimeException refused) { // the fetch pool is full: the ones started are released below
                failure = refused;
                break;
            }
        }
        Map<String, Path> paths = new LinkedHashMap<>();
        List<String> taken = new ArrayList<>();
        for (Map.Entry<String, java.util.concurrent.CompletableFuture<Path>> e : pending.entrySet()) {
            try {
                paths.put(e.getKey(), e.getValue().join());
                taken.add(cacheKeys.get(e.getKey()));
            } catch (java.util.concurrent.CompletionException ex) {
                if (failure == null) {
                    failure = ex.getCause() instanceof RuntimeException r ? r : new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED,
                            "could not fetch a lake file; retry later", ex.getCause());
                }
            }
        }
        if (failure != null) {
            release(taken);
            throw failure;
        }
        return new Lease(paths, taken);
    }

    /** Bytes the copies take now, reservations included (for tests and metrics). */
    public synchronized long bytes() {
        return bytes;
    }

    /** Whether a copy of the object is kept now (for tests and operators). */
    public synchronized boolean holds(String key) {
        Entry e = entries.get(key);
        return e != null && !e.downloading && Files.isRegularFile(e.path);
    }

    /** The directory this instance keeps its copies in. */
    public synchronized Path directory() {
        open();
        return root;
    }

    /** @param key the copy's name in the cache (the object key, or a versioned name); {@code objectKey} what to download */
    private Path acquire(String key, String objectKey, long knownSize) {
        Entry entry;
        synchronized (this) {
            open();
            Entry e = entries.get(key);
            while (e != null && e.downloading) {
                waitQuietly();
                e = entries.get(key);
            }
            if (e != null && Files.isRegularFile(e.path)) {
                e.leases++;
                e.lastUsed = ++clock;
                return e.path;
            }
            if (e != null) { // deleted from under us: forget it
                entries.remove(key);
                bytes -= e.size;
            }
        }
        long size = knownSize >= 0 ? knownSize : objects.stat(objectKey).map(ObjectInfo::size).orElseThrow(() -> new ObjectNotFoundException(objectKey));
        Path local = root().resolve(ObjectKeys.check(key));
        synchronized (this) {
            Entry e = entries.get(key);
            if (e != null) { // fetched meanwhile by another reader
                return acquire(key, objectKey, knownSize);
            }
            reserve(size, key);
            entry = new Entry(local, size, ++clock);
            entry.leases = 1;
            entry.downloading = true;
            entries.put(key, entry);
            bytes += size;
        }
        boolean ok = false;
        try {
            long actual = download(objectKey, local);
            synchronized (this) {
                bytes += actual - entry.size;
                entry.size = actual;
            }
            ok = true;
            return local;
        } finally {
            synchronized (this) {
                entry.downloading = false;
                if (!ok) {
                    entries.remove(key);
                    bytes -= entry.size;
                }
                notifyAll();
            }
        }
    }

    /** Makes room for {@code size} more bytes, deleting least recently used copies no lease holds; guarded by this. */
    private void reserve(long size, String key) {
        if (size > maxBytes) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "data file " + key + " has " + size + " bytes, more "
                    + "than the local file cache may hold (quiver.offline.cache-max-bytes = " + maxBytes + "); raise it, or compact less");
        }
        evict(maxBytes - size);
        if (bytes + size > maxBytes) {
            throw new QuiverException(ErrorCode.SERVICE_BUSY, "the local file cache is full of data files other reads are using "
                    + "(quiver.offline.cache-max-bytes = " + maxBytes + "); retry shortly");
        }
    }

    private void release(Iterable<String> keys) {
        synchronized (this) {
            for (String key : keys) {
                Entry e = entries.get(key);
                if (e != null && e.leases > 0) {
                    e.leases--;
                }
            }
        }
    }

    /** Deletes least recently used copies no lease holds until at most {@code target} bytes are taken; guarded by this. */
    private void evict(long target) {
        if (bytes <= target) {
            return;
        }
        List<Map.Entry<String, Entry>> candidates = new ArrayList<>(entries.entrySet());
        candidates.sort(Comparator.comparingLong(c -> c.getValue().lastUsed));
        for (Map.Entry<String, Entry> c : candidates) {
            if (bytes <= target) {
                return;
            }
            Entry e = c.getValue();
            if (e.leases == 0 && !e.downloading) {
                try {
                    Files.deleteIfExists(e.path);
                    entries.remove(c.getKey());
                    bytes -= e.size;
                } catch (IOException ex) {
                    LOG.warnf("could not evict cached copy %s: %s", e.path, ex.getMessage());
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

    private synchronized Path root() {
        open();
        return root;
    }

    /**
     * Takes this instance's directory (the configured one, or the first {@code -n} sibling no one holds) and indexes
     * what an earlier run left in it, oldest first, so it counts against the bound. Guarded by this.
     */
    private void open() {
        if (root != null) {
            return;
        }
        for (int n = 1; n <= 100; n++) {
            Path candidate = n == 1 ? configured : configured.resolveSibling(configured.getFileName() + "-" + n);
            try {
                Files.createDirectories(candidate);
                FileChannel channel = FileChannel.open(candidate.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock taken;
                try {
                    taken = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    taken = null; // held by another instance in this process
                }
                if (taken == null) {
                    channel.close();
                    continue;
                }
                lockChannel = channel;
                lock = taken;
                root = candidate;
                if (n > 1) {
                    LOG.infof("the local file cache %s is held by another instance; this one uses %s", configured, candidate);
                }
                index();
                return;
            } catch (IOException e) {
                throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "the local file cache directory cannot be used "
                        + "(quiver.offline.cache-dir); fix its permissions or point it elsewhere", e);
            }
        }
        throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "every local file cache directory next to "
                + "quiver.offline.cache-dir is held by another instance; give this one a directory of its own");
    }

    private void index() {
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).sorted(Comparator.comparingLong(ObjectFileCache::modified)).forEach(p -> {
                String name = p.getFileName().toString();
                if (name.equals(LOCK)) {
                    return;
                }
                if (name.endsWith(".part")) {
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
        evict(maxBytes);
    }

    private void waitQuietly() {
        try {
            wait(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "interrupted while waiting for a data file's download");
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Gives the directory back (its copies stay for the next run). */
    @PreDestroy
    synchronized void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debugf("releasing the file cache lock: %s", e.getMessage());
        }
        lock = null;
        lockChannel = null;
        root = null;
        entries.clear();
        bytes = 0;
    }
}
