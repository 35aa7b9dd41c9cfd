package io.quiver.columnar;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.duckdb.DuckDBConnection;
import org.jboss.logging.Logger;

import io.quiver.concurrent.BoundedExecutor;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One in-memory DuckDB database for the whole service, so its memory limit bounds all requests together. Each
 * caller gets its own connection ({@link #connect()}; DuckDB connections are not thread-safe) and keeps its
 * scratch tables and views TEMP, which makes them private to that connection. Every connection works in UTC.
 */
@ApplicationScoped
public class DuckDbEngine {

    private static final Logger LOG = Logger.getLogger(DuckDbEngine.class);

    /**
     * How a database is opened.
     *
     * @param sandbox when not null, the directories the database may read and write; anything else on the file
     *        system, the network, extensions and changes of these settings are refused (the virtual executor's)
     */
    public record Settings(String name, String memoryLimit, java.util.Optional<Integer> threads, Path tempDirectory,
            java.util.List<Path> sandbox) {
    }

    private final Settings settings;
    private DuckDBConnection root;

    @jakarta.inject.Inject
    public DuckDbEngine(QuiverConfig config) {
        this(new Settings("the query engine", config.duckdb().memoryLimit(), config.duckdb().threads(),
                Path.of(config.duckdb().tempDirectory().orElse(System.getProperty("java.io.tmpdir") + "/quiver-duckdb")), null));
    }

    /** A database of its own (not the shared one), e.g. the virtual executor's sandbox; its owner closes it. */
    public DuckDbEngine(Settings settings) {
        this.settings = settings;
    }

    /**
     * A new connection to the shared database; the caller closes it. DuckDB invalidates a whole database after an
     * internal error (which a hostile input may provoke): such a database is replaced by a fresh one at once, so one
     * bad request cannot leave the engine failing every request after it. Connections still open on the old one fail
     * and are retried by their callers.
     */
    public Connection connect() {
        for (int attempt = 0; ; attempt++) {
            DuckDBConnection current = null;
            try {
                current = root();
                Connection c = current.duplicate();
                if (settings.sandbox() == null) { // a sandbox's settings are locked; its global TimeZone is UTC already
                    try (Statement s = c.createStatement()) {
                        s.execute("SET TimeZone = 'UTC'");
                    } catch (SQLException e) {
                        c.close();
                        throw e;
                    }
                }
                return c;
            } catch (SQLException e) {
                if (attempt == 0 && current != null && invalidated(e)) {
                    LOG.errorf(e, "the query engine's database was invalidated by an internal error; starting a fresh one");
                    replace(current);
                    continue;
                }
                throw new QuiverException(ErrorCode.INTERNAL_ERROR, settings.name() + " could not open a connection; retry later", e);
            }
        }
    }

    /** A time bound on one statement: past it, the statement is cancelled (DuckDB interrupts the query). */
    public final class Deadline implements AutoCloseable {
        private final java.util.concurrent.ScheduledFuture<?> timer;
        private volatile boolean expired;

        private Deadline(Statement statement, java.time.Duration limit) {
            this.timer = timers().schedule(() -> {
                expired = true;
                try {
                    statement.cancel();
                } catch (SQLException e) {
                    LOG.debugf("cancelling a statement past its deadline: %s", e.getMessage());
                }
            }, limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** Whether the deadline passed (so a failure of the statement is its cancellation). */
        public boolean expired() {
            return expired;
        }

        @Override
        public void close() {
            timer.cancel(false);
        }
    }

    private java.util.concurrent.ScheduledThreadPoolExecutor timers;

    /** Cancels {@code statement} if it still runs after {@code limit}; close the deadline when the statement is done. */
    public Deadline deadline(Statement statement, java.time.Duration limit) {
        return new Deadline(statement, limit);
    }

    private synchronized java.util.concurrent.ScheduledThreadPoolExecutor timers() {
        if (timers == null) {
            timers = BoundedExecutor.timer("quiver-duckdb-deadline");
        }
        return timers;
    }

    /** Whether DuckDB refuses the database after a fatal error. */
    static boolean invalidated(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("database has been invalidated") || m.startsWith("FATAL Error");
    }

    /** Drops the database {@code broken} (unless another caller replaced it already); the next connect opens a new one. */
    private synchronized void replace(DuckDBConnection broken) {
        if (root == broken) {
            try {
                broken.close();
            } catch (SQLException e) {
                LOG.debugf("closing an invalidated database: %s", e.getMessage());
            }
            root = null;
        }
    }

    /** Opened on first use, not at construction: no I/O in constructors. */
    private synchronized DuckDBConnection root() throws SQLException {
        if (root == null) {
            // the driver itself, not DriverManager: a caller in another class loader (a test, a tool) must not miss it
            DuckDBConnection c = (DuckDBConnection) new org.duckdb.DuckDBDriver().connect("jdbc:duckdb:", new java.util.Properties());
            try (Statement s = c.createStatement()) {
                Path temp = settings.tempDirectory().toAbsolutePath();
                s.execute("SET GLOBAL memory_limit = '" + settings.memoryLimit().replace("'", "") + "'");
                s.execute("SET GLOBAL temp_directory = " + DuckDbTypes.literal(temp.toString()));
                s.execute("SET GLOBAL TimeZone = 'UTC'");
                if (settings.threads().isPresent()) {
                    s.execute("SET GLOBAL threads = " + Math.max(1, settings.threads().get()));
                }
                if (settings.sandbox() != null) {
                    // the order matters: directories first, then no external access, then no more changes
                    String dirs = settings.sandbox().stream().map(d -> DuckDbTypes.literal(d.toAbsolutePath() + "/"))
                            .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
                    s.execute("SET GLOBAL allowed_directories = " + dirs);
                    s.execute("SET GLOBAL enable_external_access = false");
                    s.execute("SET GLOBAL autoinstall_known_extensions = false");
                    s.execute("SET GLOBAL autoload_known_extensions = false");
                    s.execute("SET GLOBAL lock_configuration = true");
                }
                LOG.debugf("DuckDB %s: memory limit %s, spills to %s%s", settings.name(), settings.memoryLimit(), temp,
                        settings.sandbox() == null ? "" : ", sandboxed to " + settings.sandbox());
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            root = c;
        }
        return root;
    }

    @PreDestroy
    public synchronized void close() {
        if (timers != null) {
            timers.shutdownNow();
        }
        if (root != null) {
            try {
                root.close();
            } catch (SQLException e) {
                LOG.warnf("closing the DuckDB engine: %s", e.getMessage());
            }
            root = null;
        }
    }
}
