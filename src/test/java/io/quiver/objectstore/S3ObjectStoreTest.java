package io.quiver.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.error.ErrorCode;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import jakarta.inject.Inject;

/** The S3 implementation, as the service configures it (with retries), against a real S3 server (S3Proxy). */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class S3ObjectStoreTest extends ObjectStoreContract {

    @Inject
    ObjectStore store;

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Test
    void theServiceUsesTheConfiguredBucket() {
        assertThat(store.location()).contains("S3 bucket 'quiver-test'");
    }

    @Test
    void anUnreachableServerFailsAfterRetriesWithAClearError() {
        ObjectStore dead = new RetryingObjectStore(new S3ObjectStore("http://127.0.0.1:1", "us-east-1", "a", "b", "x", 0), 2);
        assertThatThrownBy(() -> dead.put("k", new byte[] {1}))
                .isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).code()).isEqualTo(ErrorCode.OBJECT_STORE_UNAVAILABLE))
                .hasMessageContaining("failed to upload 'k'").hasMessageNotContaining("127.0.0.1")
                .satisfies(e -> assertThat(((ObjectStoreException) e).detail()).contains("S3 bucket 'x' at http://127.0.0.1:1"));
        assertThatThrownBy(dead::checkReady).isInstanceOf(ObjectStoreException.class);
    }
}
