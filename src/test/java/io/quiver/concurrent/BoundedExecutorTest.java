package io.quiver.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

class BoundedExecutorTest {

    @Test
    void aTaskBeyondThreadsAndQueueIsRefusedAsServiceBusyAndNothingIsLost() throws Exception {
        BoundedExecutor pool = new BoundedExecutor("test-pool", 1, 1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        Runnable blocked = () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        };
        pool.execute(blocked); // runs
        pool.execute(blocked); // waits in the queue
        assertThatThrownBy(() -> pool.execute(blocked)).isInstanceOf(QuiverException.class)
                .satisfies(e -> assertThat(((QuiverException) e).code()).isEqualTo(ErrorCode.SERVICE_BUSY))
                .hasMessageContaining("test-pool");
        release.countDown();
        pool.close(Duration.ofSeconds(10));
        assertThat(ran.get()).isEqualTo(2); // both accepted tasks ran; the refused one was reported, not dropped
    }

    @Test
    void closingNeverHangsOnATaskThatWillNotEnd() {
        BoundedExecutor pool = new BoundedExecutor("stuck", 1, 1);
        pool.execute(() -> {
            while (true) {
                Thread.onSpinWait(); // ignores interruption
            }
        });
        long started = System.nanoTime();
        pool.close(Duration.ofMillis(200));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30)); // bounded, not a timing check
        assertThatThrownBy(() -> pool.execute(() -> { })).isInstanceOf(QuiverException.class).hasMessageContaining("stopping");
    }
}
