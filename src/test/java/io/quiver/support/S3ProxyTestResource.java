package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the service under test at an S3Proxy of its own. */
public class S3ProxyTestResource implements QuarkusTestResourceLifecycleManager {

    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        server = S3ProxyServer.start();
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
}
