package io.quiver.access;

import java.time.Duration;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;

/** The Redis access store passes the contract on real Redis, each test under a key prefix of its own. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class RedisAccessStoreTest extends AccessStoreContract {

    @Inject
    Redis redis;

    @Override
    protected AccessStore store() {
        return new RedisAccessStore(redis, "quiver-access-test-" + System.nanoTime() + ":", Duration.ofSeconds(5), false, "test Redis");
    }
}
