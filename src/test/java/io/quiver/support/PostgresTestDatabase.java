package io.quiver.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives the test run a PostgreSQL database of its own on the real local server: {@code quiver_test} is dropped
 * and created afresh before Quarkus starts, so every run begins empty and Flyway migrates it like production.
 * Host, port and user come from QUIVER_TEST_PG_HOST / _PORT / _USER (default 127.0.0.1, 5432, postgres).
 */
public class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "quiver_test";

    @Override
    public Map<String, String> start() {
        String host = env("QUIVER_TEST_PG_HOST", "127.0.0.1");
        String port = env("QUIVER_TEST_PG_PORT", "5432");
        String user = env("QUIVER_TEST_PG_USER", "postgres");
        String password = env("QUIVER_TEST_PG_PASSWORD", "");
        String server = "jdbc:postgresql://" + host + ":" + port + "/";
        try (Connection c = DriverManager.getConnection(server + "postgres", user, password);
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("Tests need the real PostgreSQL at " + server + " (user " + user
                    + "); start it (see .ci/run) or set QUIVER_TEST_PG_HOST/PORT/USER/PASSWORD", e);
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", server + DATABASE,
                "quarkus.datasource.username", user,
                "quarkus.datasource.password", password);
    }

    @Override
    public void stop() {
        // The database is left for inspection; the next run recreates it.
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
