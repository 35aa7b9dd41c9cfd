package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the service under test at an S3Proxy of its own. */
public class S3ProxyTestResource implements QuarkusTestResourceLifecycleManager {

    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        // benchmarks (-Pbench sets bench.s3-filesystem) write hundreds of MB: objects as files, not in S3Proxy's heap. This
        // resource is GLOBAL, so it also serves benchmark classes that declare a filesystem S3 of their own
        server = Boolean.getBoolean("bench.s3-filesystem") ? S3ProxyServer.start(tempDirectory()) : S3ProxyServer.start();
        return Map.of(
                "quiver.object-store.type", "S3",
                "quiver.object-store.s3-endpoint", server.endpoint(),
                "quiver.object-store.s3-access-key", S3ProxyServer.ACCESS_KEY,
                "quiver.object-store.s3-secret-key", S3ProxyServer.SECRET_KEY,
                "quiver.object-store.s3-bucket", "quiver-test",
                "quiver.object-store.s3-part-size", String.valueOf(5 * 1024 * 1024));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static java.nio.file.Path tempDirectory() {
        try {
            return java.nio.file.Files.createTempDirectory("quiver-s3");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
