package io.quiver.online;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.OwnRedisResource;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.S3ProxyTestResource;

/** The degradation contract on a standalone redis-server of this class's own. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OwnRedisResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class DegradationTest extends DegradationContract {

    @Override
    protected void stopRedis() {
        OwnRedisResource.server.stop();
    }

    @Override
    protected void startRedis() {
        OwnRedisResource.server.startAgain();
    }

    @Override
    protected int redisPort() {
        return OwnRedisResource.server.port();
    }
}
