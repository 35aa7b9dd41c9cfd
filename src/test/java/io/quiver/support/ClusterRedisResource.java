package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Redis Cluster of the test class's own (three masters, three replicas), with the service in cluster mode. Reads
 * time out fast and the circuit breaker rests briefly, so a failover shows as seconds of degradation.
 */
public class ClusterRedisResource implements QuarkusTestResourceLifecycleManager {

    /** The running cluster, for the test to kill a master. */
    public static volatile RedisCluster cluster;

    @Override
    public Map<String, String> start() {
        cluster = RedisCluster.start();
        return Map.of(
                "quarkus.redis.hosts", cluster.hosts(),
                "quarkus.redis.client-type", "cluster",
                "quiver.online.key-prefix", "quiver-cluster:",
                "quiver.online.read-timeout", "PT0.5S",
                "quiver.online.write-timeout", "PT10S",
                "quiver.online.circuit-delay", "PT1S",
                "quiver.online.wait-replicas", "1");
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
