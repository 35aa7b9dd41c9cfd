package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A PostgreSQL database of the test class's own (its name given as the resource argument {@code name}), for classes
 * that break things (their object store, their registry connection) and must not share the run's database.
 */
public class OwnDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private String name;

    @Override
    public void init(Map<String, String> initArgs) {
        name = initArgs.getOrDefault("name", "quiver_own_test");
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", PostgresTestDatabase.createDatabase(name),
                "quarkus.datasource.username", PostgresTestDatabase.user(),
                "quarkus.datasource.password", PostgresTestDatabase.password());
    }

    @Override
    public void stop() {
        // left for inspection; the next run recreates it
    }
}
