package io.quiver.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quiver.support.S3ProxyServer;

/**
 * S3Proxy keeping objects as files (gigabytes do not fit its heap), and the service's file cache in a known place,
 * both under one scratch directory for the benchmark run.
 */
public class FilesystemS3Resource implements QuarkusTestResourceLifecycleManager {

    static Path scratch;
    private S3ProxyServer server;

    @Override
    public Map<String, String> start() {
        try {
            scratch = Files.createTempDirectory("quiver-bench");
            Path objects = Files.createDirectories(scratch.resolve("s3"));
            server = S3ProxyServer.start(objects);
            return Map.of(
                    "quiver.object-store.type", "S3",
                    "quiver.object-store.s3-endpoint", server.endpoint(),
                    "quiver.object-store.s3-access-key", S3ProxyServer.ACCESS_KEY,
                    "quiver.object-store.s3-secret-key", S3ProxyServer.SECRET_KEY,
                    "quiver.object-store.s3-bucket", "quiver-bench",
                    "quiver.offline.cache-dir", scratch.resolve("cache").toString(),
                    "quiver.offline.file-rows", "983040",
                    // the production default, not the tests' 5 s: 50 MiB uploads into S3Proxy on 2 busy cores take longer
                    "quiver.object-store.s3-timeout", "PT60S",
                    // the production default, not the tests' 0 (which lists the lake's files on every read)
                    "quiver.virtual.listing-ttl", "PT5S");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
