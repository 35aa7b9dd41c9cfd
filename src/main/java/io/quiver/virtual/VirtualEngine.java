package io.quiver.virtual;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.quiver.columnar.DuckDbEngine;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.offline.ObjectFileCache;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The virtual executor's own DuckDB: a sandbox that may read only the local copies of lake files (the file cache)
 * and write only its scratch directory. Network, other paths, extensions and changes of these settings are refused
 * by DuckDB itself ({@code allowed_directories}, {@code enable_external_access = false}, {@code lock_configuration});
 * templates are also checked before they run ({@link SqlSandbox}). Its memory limit and threads are its own, and at
 * most {@code quiver.virtual.max-concurrent-queries} queries run at once; each runs within a deadline that interrupts
 * DuckDB.
 */
@ApplicationScoped
public class VirtualEngine {

    private final QuiverConfig.Virtual config;
    private final ObjectFileCache cache;
    private final Semaphore slots;
    private final Path scratch;
    private DuckDbEngine engine;

    public VirtualEngine(QuiverConfig config, ObjectFileCache cache) {
        this.config = config.virtual();
        this.cache = cache;
        this.slots = new Semaphore(Math.max(1, this.config.maxConcurrentQueries()), true);
        this.scratch = Path.of(this.config.scratchDirectory().orElse(System.getProperty("java.io.tmpdir") + "/quiver-virtual"))
                .toAbsolutePath().normalize();
    }

    /** The directory results are written to (inside the sandbox). */
    public Path scratch() {
        return scratch;
    }

    /** Whether the sandbox may read {@code file}: it lies in the file cache or the scratch directory. */
    public boolean readable(Path file) {
        Path f = file.toAbsolutePath().normalize();
        return f.startsWith(cache.directory().toAbsolutePath().normalize()) || f.startsWith(scratch);
    }

    /** A query slot and a connection of the sandbox; closing gives both back. */
    public final class Session implements AutoCloseable {
        private final Connection connection;
        private boolean closed;

        private Session(Connection connection) {
            this.connection = connection;
        }

        public Connection connection() {
            return connection;
        }

        /** Interrupts {@code statement} if it still runs after the query timeout. */
        public DuckDbEngine.Deadline deadline(Statement statement) {
            return engine().deadline(statement, config.queryTimeout());
        }

        public Duration timeout() {
            return config.queryTimeout();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                try {
                    connection.close();
                } catch (java.sql.SQLException e) {
                    // a connection that failed to close holds nothing we need
                } finally {
                    slots.release();
                }
            }
        }
    }

    /** @throws QuiverException SERVICE_BUSY when no slot frees within {@code quiver.virtual.queue-timeout} */
    public Session open() {
        try {
            if (!slots.tryAcquire(config.queueTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new QuiverException(ErrorCode.SERVICE_BUSY, "the virtual executor already runs " + config.maxConcurrentQueries()
                        + " queries (quiver.virtual.max-concurrent-queries); retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QuiverException(ErrorCode.SERVICE_BUSY, "interrupted while waiting for the virtual executor; retry");
        }
        try {
            return new Session(engine().connect());
        } catch (RuntimeException e) {
            slots.release();
            throw e;
        }
    }

    private synchronized DuckDbEngine engine() {
        if (engine == null) {
            try {
                Files.createDirectories(scratch);
            } catch (IOException e) {
                throw new UncheckedIOException("the virtual executor's scratch directory " + scratch + " cannot be created", e);
            }
            Optional<Integer> threads = config.threads().or(() -> Optional.of(Math.max(1, Runtime.getRuntime().availableProcessors() / 2)));
            engine = new DuckDbEngine(new DuckDbEngine.Settings("the virtual executor", config.memoryLimit(), threads,
                    scratch.resolve("spill"), List.of(cache.directory(), scratch)));
        }
        return engine;
    }

    @PreDestroy
    synchronized void close() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
