package io.quiver.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.error.ErrorCode;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import jakarta.inject.Inject;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import java.time.Duration;

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
        assertThat(store.uri("lake/tx/a.parquet")).isEqualTo("s3a://quiver-test/lake/tx/a.parquet");
    }

    @Test
    void anUnreachableServerFailsAfterRetriesWithAClearError() {
        ObjectStore dead = new RetryingObjectStore(new S3ObjectStore("http://127.0.0.1:1", "us-east-1", "a", "b", "x", 0, Duration.ofSeconds(5)), 2);
        assertThatThrownBy(() -> dead.put("k", new byte[] {1}))
                .isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).code()).isEqualTo(ErrorCode.OBJECT_STORE_UNAVAILABLE))
                .hasMessageContaining("failed to upload 'k'").hasMessageNotContaining("127.0.0.1")
                .satisfies(e -> assertThat(((ObjectStoreException) e).detail()).contains("S3 bucket 'x' at http://127.0.0.1:1"));
        assertThatThrownBy(dead::checkReady).isInstanceOf(ObjectStoreException.class);
    }

    /** A server that takes the connection and never answers (as one starting up may): the call fails, it does not hang. */
    @Test
    void aServerThatNeverAnswersFailsTheCallAfterTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // read nothing, answer nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ObjectStore hanging = new RetryingObjectStore(new S3ObjectStore("http://127.0.0.1:" + silent.getLocalPort(), "us-east-1", "a", "b",
                    "quiver-silent", 0, Duration.ofSeconds(1)), 2);
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> hanging.put("k", new byte[] {1}))
                    .isInstanceOf(ObjectStoreException.class)
                    .satisfies(e -> assertThat(((ObjectStoreException) e).code()).isEqualTo(ErrorCode.OBJECT_STORE_UNAVAILABLE)));
            assertThat(accepted).isNotEmpty();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
