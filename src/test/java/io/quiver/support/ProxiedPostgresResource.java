package io.quiver.support;

import java.net.URI;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A PostgreSQL database of the test class's own ({@code quiver_proxied_test}) reached through a {@link FaultyProxy},
 * so the class can cut the service's registry connection in the middle of a commit.
 */
public class ProxiedPostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "quiver_proxied_test";

    /** The running proxy, for the test to arm. */
    public static volatile FaultyProxy proxy;

    @Override
    public Map<String, String> start() {
        PostgresTestDatabase.createDatabase(DATABASE);
        URI server = URI.create(PostgresTestDatabase.server().substring("jdbc:".length()));
        proxy = new FaultyProxy(server.getHost(), server.getPort());
        return Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + DATABASE + "?prepareThreshold=0",
                "quarkus.datasource.username", PostgresTestDatabase.user(),
                "quarkus.datasource.password", PostgresTestDatabase.password());
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
