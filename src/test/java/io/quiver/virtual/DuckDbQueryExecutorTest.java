package io.quiver.virtual;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import io.quiver.config.QuiverConfigDefaultsTest;
import io.quiver.objectstore.LocalObjectStore;
import io.quiver.offline.ObjectFileCache;

/** The DuckDB executor against the contract, on a sandbox of its own (no service). */
class DuckDbQueryExecutorTest extends QueryExecutorContract {

    @TempDir
    static Path dir;

    private static VirtualEngine engine;
    private static DuckDbQueryExecutor executor;
    private static Path cacheDir;

    @BeforeAll
    static void start() throws Exception {
        var config = QuiverConfigDefaultsTest.config(Map.of("quiver.virtual.query-timeout", "PT1S",
                "quiver.virtual.scratch-directory", dir.resolve("scratch").toString()));
        ObjectFileCache cache = new ObjectFileCache(new LocalObjectStore(dir.resolve("objects")), dir.resolve("cache"), 1L << 30);
        cacheDir = cache.directory();
        engine = new VirtualEngine(config, cache);
        executor = new DuckDbQueryExecutor(engine);
        Files.createDirectories(cacheDir.resolve("lake"));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @Override
    QueryExecutor executor() {
        return executor;
    }

    @Override
    Path inputs() {
        return cacheDir.resolve("lake");
    }

    @Override
    Path outputs() {
        return engine.scratch();
    }

    @Override
    java.time.Duration queryTimeout() {
        return java.time.Duration.ofSeconds(1);
    }

    @Override
    String timeoutSetting() {
        return "quiver.virtual.query-timeout";
    }

    @Override
    String entityFilterInScan() {
        return "Filters: customer_id\\s*=\\s*42";
    }
}
