package io.quiver.columnar;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.duckdb.DuckDBConnection;
import org.jboss.logging.Logger;

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

    private final QuiverConfig.Duckdb config;
    private DuckDBConnection root;

    public DuckDbEngine(QuiverConfig config) {
        this.config = config.duckdb();
    }

    /** A new connection to the shared database; the caller closes it. */
    public Connection connect() {
        try {
            Connection c = root().duplicate();
            try (Statement s = c.createStatement()) {
                s.execute("SET TimeZone = 'UTC'");
            }
            return c;
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.INTERNAL_ERROR, "the query engine could not open a connection; retry later", e);
        }
    }

    /** Opened on first use, not at construction: no I/O in constructors. */
    private synchronized DuckDBConnection root() throws SQLException {
        if (root == null) {
            DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = c.createStatement()) {
                Path temp = Path.of(config.tempDirectory().orElse(System.getProperty("java.io.tmpdir") + "/quiver-duckdb"))
                        .toAbsolutePath();
                s.execute("SET GLOBAL memory_limit = '" + config.memoryLimit().replace("'", "") + "'");
                s.execute("SET GLOBAL temp_directory = " + DuckDbTypes.literal(temp.toString()));
                s.execute("SET GLOBAL TimeZone = 'UTC'");
                if (config.threads().isPresent()) {
                    s.execute("SET GLOBAL threads = " + Math.max(1, config.threads().get()));
                }
                LOG.debugf("DuckDB engine: memory limit %s, spills to %s", config.memoryLimit(), temp);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            root = c;
        }
        return root;
    }

    @PreDestroy
    synchronized void close() {
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
