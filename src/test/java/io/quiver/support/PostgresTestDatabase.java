package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Gives the test run a PostgreSQL database of its own on the real local server: {@code quiver_test} is dropped
 * and created afresh before Quarkus starts, so every run begins empty and Flyway migrates it like production.
 * Host, port and user come from QUIVER_TEST_PG_HOST / _PORT / _USER (default 127.0.0.1, 5432, postgres).
 */
public class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "quiver_test";

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", createDatabase(DATABASE),
                "quarkus.datasource.username", user(),
                "quarkus.datasource.password", password());
    }

    @Override
    public void stop() {
        // The database is left for inspection; the next run recreates it.
    }

    /** The server's JDBC URL without a database: {@code jdbc:postgresql://host:port/}. */
    public static String server() {
        return "jdbc:postgresql://" + env("QUIVER_TEST_PG_HOST", "127.0.0.1") + ":" + env("QUIVER_TEST_PG_PORT", "5432") + "/";
    }

    public static String user() {
        return env("QUIVER_TEST_PG_USER", "postgres");
    }

    public static String password() {
        return env("QUIVER_TEST_PG_PASSWORD", "");
    }

    /** Drops and creates the database; returns its JDBC URL. */
    public static String createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(server() + "postgres", user(), password());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Tests need the real PostgreSQL at " + server() + " (user " + user()
                    + "); start it (see .ci/run) or set QUIVER_TEST_PG_HOST/PORT/USER/PASSWORD", e);
        }
        return server() + name;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
