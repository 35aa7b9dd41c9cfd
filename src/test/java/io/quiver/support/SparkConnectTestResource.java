package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the service under test at the tests' Spark Connect server ({@link SparkConnectServer#shared()}), with a
 * routing threshold small enough for test-sized training sets (100 rows of work).
 */
public class SparkConnectTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quiver.spark.url", SparkConnectServer.shared().url(), "quiver.spark.min-rows", "100");
    }

    @Override
    public void stop() {
        // the server is shared by the JVM's tests and stops with it
    }
}
