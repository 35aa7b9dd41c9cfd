package io.quiver.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quiver.error.QuiverException;
import io.quiver.objectstore.LocalObjectStore;

/** The local copies DuckDB reads: bounded in size, least recently used first out, never a file in use. */
class ObjectFileCacheTest {

    @TempDir
    Path store;

    @TempDir
    Path cacheRoot;

    private LocalObjectStore objects;

    @BeforeEach
    void putObjects() {
        objects = new LocalObjectStore(store);
        for (String k : List.of("a", "b", "c")) {
            objects.put("groups/g/v1/data/" + k + ".parquet", new byte[100]);
        }
    }

    private static String key(String k) {
        return "groups/g/v1/data/" + k + ".parquet";
    }

    @Test
    void beyondItsBoundTheLeastRecentlyUsedCopyNoLeaseHoldsIsDeleted() throws Exception {
        ObjectFileCache cache = new ObjectFileCache(objects, cacheRoot, 250);
        ObjectFileCache.Lease a = cache.lease(List.of(key("a")));
        Path aPath = a.path(key("a"));
        Path bPath;
        try (ObjectFileCache.Lease b = cache.lease(List.of(key("b")))) {
            bPath = b.path(key("b"));
            assertThat(Files.size(bPath)).isEqualTo(100);
        }
        try (ObjectFileCache.Lease c = cache.lease(List.of(key("c")))) {
            // a is older than b but leased: b goes
            assertThat(aPath).exists();
            assertThat(bPath).doesNotExist();
            assertThat(cache.bytes()).isEqualTo(200);
        }
        a.close();
        try (ObjectFileCache.Lease b = cache.lease(List.of(key("b")))) {
            assertThat(b.path(key("b"))).exists(); // fetched again
            assertThat(aPath).doesNotExist();     // now a was the least recently used
        }
        assertThat(cache.bytes()).isLessThanOrEqualTo(250);
    }

    @Test
    void copiesLeftByAnEarlierRunAreCountedAndEvictable() throws Exception {
        ObjectFileCache earlier = new ObjectFileCache(objects, cacheRoot, 1000);
        try (ObjectFileCache.Lease all = earlier.lease(List.of(key("a"), key("b"), key("c")))) {
            assertThat(all.paths()).hasSize(3).allSatisfy(p -> assertThat(p).exists());
        }
        earlier.close(); // its process ends
        ObjectFileCache restarted = new ObjectFileCache(objects, cacheRoot, 150);
        try (ObjectFileCache.Lease c = restarted.lease(List.of(key("c")))) {
            assertThat(restarted.bytes()).isEqualTo(100);
            assertThat(c.path(key("c"))).exists();
        }
        // the earlier run's 300 bytes were counted on first use: two copies had to go, leaving c alone
        try (java.util.stream.Stream<Path> files = Files.walk(cacheRoot)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(n -> !n.equals(".lock")).toList())
                    .containsExactly("c.parquet");
        }
    }

    @Test
    void theBoundHoldsForLeasedCopiesTooAndALeaseThatCannotFitIsRefused() {
        ObjectFileCache cache = new ObjectFileCache(objects, cacheRoot, 250);
        try (ObjectFileCache.Lease ab = cache.lease(List.of(key("a"), key("b")))) {
            assertThatThrownBy(() -> cache.lease(List.of(key("c")))).isInstanceOf(QuiverException.class)
                    .satisfies(e -> assertThat(((QuiverException) e).code()).isEqualTo(io.quiver.error.ErrorCode.SERVICE_BUSY))
                    .hasMessageContaining("quiver.offline.cache-max-bytes");
            assertThat(cache.bytes()).isEqualTo(200);
        }
        try (ObjectFileCache.Lease c = cache.lease(List.of(key("c")))) {
            assertThat(cache.bytes()).isLessThanOrEqualTo(250);
        }
        ObjectFileCache tiny = new ObjectFileCache(objects, cacheRoot.resolve("tiny"), 50);
        assertThatThrownBy(() -> tiny.lease(List.of(key("a")))).isInstanceOf(QuiverException.class).hasMessageContaining("has 100 bytes");
    }

    @Test
    void twoInstancesGivenOneDirectoryEachKeepTheirOwnAndNeverEvictTheOther() throws Exception {
        ObjectFileCache first = new ObjectFileCache(objects, cacheRoot.resolve("shared"), 150);
        ObjectFileCache second = new ObjectFileCache(objects, cacheRoot.resolve("shared"), 150);
        try (ObjectFileCache.Lease a = first.lease(List.of(key("a")))) {
            Path aPath = a.path(key("a"));
            assertThat(second.directory()).isNotEqualTo(first.directory());
            second.lease(List.of(key("b"))).close();
            second.lease(List.of(key("c"))).close(); // the second's bound evicts its own b, never the first's a
            assertThat(aPath).exists();
        }
        first.close();
        second.close();
    }

    @Test
    void aMissingObjectFailsTheLeaseAndReleasesWhatItHeld() {
        ObjectFileCache cache = new ObjectFileCache(objects, cacheRoot, 150);
        assertThatThrownBy(() -> cache.lease(List.of(key("a"), "groups/g/v1/data/gone.parquet"))).isInstanceOf(QuiverException.class);
        // a is not held by the failed lease, so it can make room for b
        try (ObjectFileCache.Lease b = cache.lease(List.of(key("b")))) {
            assertThat(cache.bytes()).isEqualTo(100);
        }
    }
}
