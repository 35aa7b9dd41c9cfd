package io.quiver.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quiver.concurrent.BoundedExecutor;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/** The order waiting fills run in, on a real executor. */
class QueuedFillTest {

    @Test
    void switchesGoBeforeRefreshesShorterFirstAndRefreshesInArrivalOrder() throws Exception {
        BoundedExecutor fills = BoundedExecutor.ordered("test-fill", 1, 100, QueuedFill.ORDER);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        List<String> ran = new CopyOnWriteArrayList<>();
        try {
            fills.execute(new QueuedFill(() -> {
                started.countDown();
                await(release);
            }, false, 1, 0)); // takes the only thread
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            fills.execute(fill(ran, "refresh, 10 ms", true, 10, 1));
            fills.execute(fill(ran, "switch, 5 s", false, 5_000, 2));
            fills.execute(fill(ran, "switch, 100 ms", false, 100, 3));
            fills.execute(fill(ran, "switch, unknown", false, Double.MAX_VALUE, 4));
            fills.execute(fill(ran, "switch, 100 ms, later", false, 100, 5));
            fills.execute(fill(ran, "refresh, 1 ms, later", true, 1, 6));
            CountDownLatch done = new CountDownLatch(1);
            fills.execute(new QueuedFill(done::countDown, true, 0, 7));
            release.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            // switches shortest first; refreshes in arrival order, whatever they are expected to take
            assertThat(ran).containsExactly("switch, 100 ms", "switch, 100 ms, later", "switch, 5 s", "switch, unknown", "refresh, 10 ms",
                    "refresh, 1 ms, later");
        } finally {
            release.countDown();
            fills.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void anOrderedQueueIsBoundedToo() throws Exception {
        BoundedExecutor fills = BoundedExecutor.ordered("test-fill", 1, 2, QueuedFill.ORDER);
        CountDownLatch release = new CountDownLatch(1);
        try {
            for (int i = 0; i < 3; i++) { // one runs, two wait
                fills.execute(new QueuedFill(() -> await(release), false, 1, i));
            }
            assertThatThrownBy(() -> fills.execute(new QueuedFill(() -> { }, false, 1, 9)))
                    .isInstanceOfSatisfying(QuiverException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_BUSY));
            assertThatThrownBy(() -> fills.submit(() -> 1)).isInstanceOf(IllegalStateException.class);
        } finally {
            release.countDown();
            fills.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void aFillIsExpectedToTakeWhatTheLastOneTookElseTheDecisionsEstimate() {
        StrategyRow row = new StrategyRow();
        assertThat(GroupFills.expectedFillMs(row)).isEqualTo(Double.MAX_VALUE);
        row.inputsJson = "{\"readsPerHour\": 12.0, \"refreshMs\": 250.5}";
        assertThat(GroupFills.expectedFillMs(row)).isEqualTo(250.5);
        row.fillMillis = 80L;
        assertThat(GroupFills.expectedFillMs(row)).isEqualTo(80);
    }

    private static QueuedFill fill(List<String> ran, String name, boolean refresh, double expectedMs, long seq) {
        return new QueuedFill(() -> ran.add(name), refresh, expectedMs, seq);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
