package io.quiver.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An S3 server of the test class's own, keeping objects on disk, so the class can kill and restart it with every
 * committed object still there. Retries are short, so a test sees the outage in seconds.
 */
public class OwnS3Resource implements QuarkusTestResourceLifecycleManager {

    /** The running server, for the test to kill and start. */
    public static volatile S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = S3ProxyServer.start(Files.createTempDirectory("own-s3"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "quiver.object-store.type", "S3",
                "quiver.object-store.s3-endpoint", server.endpoint(),
                "quiver.object-store.s3-access-key", S3ProxyServer.ACCESS_KEY,
                "quiver.object-store.s3-secret-key", S3ProxyServer.SECRET_KEY,
                "quiver.object-store.s3-bucket", "quiver-own",
                "quiver.object-store.s3-part-size", String.valueOf(5 * 1024 * 1024));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
