package io.quiver.support;

import java.net.URI;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An S3 server of the test class's own reached through a {@link FaultyProxy}, so the class can make every download
 * as slow as it likes ({@code proxy.slow(...)}).
 */
public class SlowS3Resource implements QuarkusTestResourceLifecycleManager {

    /** The running proxy, for the test to slow down. */
    public static volatile FaultyProxy proxy;
    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        server = S3ProxyServer.start();
        URI endpoint = URI.create(server.endpoint());
        proxy = new FaultyProxy(endpoint.getHost(), endpoint.getPort());
        return Map.of(
                "quiver.object-store.type", "S3",
                "quiver.object-store.s3-endpoint", "http://127.0.0.1:" + proxy.port(),
                "quiver.object-store.s3-access-key", S3ProxyServer.ACCESS_KEY,
                "quiver.object-store.s3-secret-key", S3ProxyServer.SECRET_KEY,
                "quiver.object-store.s3-bucket", "quiver-slow",
                "quiver.object-store.s3-part-size", String.valueOf(5 * 1024 * 1024));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
