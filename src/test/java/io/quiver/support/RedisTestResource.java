package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.util.UUID;

/**
 * Points the service at the real local Redis (QUIVER_TEST_REDIS_URL, default redis://127.0.0.1:6379) under a key
 * prefix of this run's own, so runs never see each other's records.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String url = System.getenv().getOrDefault("QUIVER_TEST_REDIS_URL", "redis://127.0.0.1:6379");
        URI uri = URI.create(url);
        if (!RedisServer.ping(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort())) {
            throw new IllegalStateException("Tests need the real Redis at " + url + "; start it (see .ci/run) or set QUIVER_TEST_REDIS_URL");
        }
        return Map.of(
                "quarkus.redis.hosts", url,
                "quiver.online.key-prefix", "quiver-test:" + UUID.randomUUID().toString().substring(0, 8) + ":");
    }

    @Override
    public void stop() {
        // the keys stay in the test Redis, which keeps nothing on disk; the next run uses another prefix
    }
}
