package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Redis of the test class's own (not the shared one), so the class can stop and restart it. Reads time out fast
 * and the circuit breaker rests briefly, so a test sees degradation and recovery in seconds.
 */
public class OwnRedisResource implements QuarkusTestResourceLifecycleManager {

    /** The running server, for the test to stop and start. */
    public static volatile RedisServer server;

    @Override
    public Map<String, String> start() {
        server = RedisServer.start();
        return Map.of(
                "quarkus.redis.hosts", server.url(),
                "quiver.online.key-prefix", "quiver-own:",
                "quiver.online.read-timeout", "PT0.3S",
                "quiver.online.write-timeout", "PT1S",
                "quiver.online.circuit-delay", "PT1S");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
