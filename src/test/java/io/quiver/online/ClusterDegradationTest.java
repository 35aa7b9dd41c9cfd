package io.quiver.online;

import java.time.Duration;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.ClusterRedisResource;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.S3ProxyTestResource;

/** The degradation contract on a Redis Cluster of this class's own: every node killed, then all started again empty. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ClusterRedisResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ClusterDegradationTest extends DegradationContract {

    @Override
    protected void stopRedis() {
        ClusterRedisResource.cluster.stopAll();
    }

    @Override
    protected void startRedis() {
        ClusterRedisResource.cluster.startAll(Duration.ofSeconds(60));
    }

    @Override
    protected int redisPort() {
        return ClusterRedisResource.cluster.port(0);
    }
}
