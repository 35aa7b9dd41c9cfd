package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the service under test at the tests' Spark Connect server ({@link SparkConnectServer#shared()}), with a
 * routing threshold small enough for test-sized work (100 rows), and virtual reads of more than 5 entities reading
 * every entity (so that a small training set over a virtual group is a whole-group read). The server reads the
 * service's local copies ({@code LOCAL_COPIES}): it has no {@code s3a} settings for the shared S3 server
 * ({@link SparkLakeResource} has).
 */
public class SparkConnectTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("quiver.spark.url", SparkConnectServer.shared().url(), "quiver.spark.min-rows", "100",
                "quiver.virtual.max-key-filter", "5", "quiver.spark.lake-access", "LOCAL_COPIES");
    }

    @Override
    public void stop() {
        // the server is shared by the JVM's tests and stops with it
    }
}
