package io.quiver.online;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import jakarta.inject.Inject;

/** The Redis online store, as the service wires it (circuit breaker included), passes the contract on real Redis. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class RedisOnlineStoreTest extends OnlineStoreContract {

    @Inject
    OnlineStore store;

    @Override
    protected OnlineStore store() {
        return store;
    }

    @Test
    void theServiceUsesRedis() {
        assertThat(store.location()).startsWith("Redis redis://127.0.0.1");
    }
}
