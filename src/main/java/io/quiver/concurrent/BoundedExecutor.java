package io.quiver.concurrent;

import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/**
 * A named pool of at most {@code threads} daemon threads with a queue of at most {@code queue} tasks. A task that
 * finds both full is refused at once with {@code SERVICE_BUSY} (the caller reports it: nothing is silently dropped);
 * threads start on demand and end when idle. {@link #close} stops it within a bounded time.
 */
public final class BoundedExecutor implements Executor {

    private static final Logger LOG = Logger.getLogger(BoundedExecutor.class);

    private final String name;
    private final ThreadPoolExecutor pool;
    /** The most tasks that may wait (checked here for an ordered queue, which has no bound of its own). */
    private final int queueLimit;

    public BoundedExecutor(String name, int threads, int queue) {
        this(name, threads, new ArrayBlockingQueue<>(Math.max(1, queue)), Math.max(1, queue));
    }

    /**
     * Like the plain one, but waiting tasks run least first by {@code order} instead of in arrival order; every task
     * given to {@link #execute} must be one {@code order} compares ({@link #submit} is not for this kind).
     */
    public static BoundedExecutor ordered(String name, int threads, int queue, Comparator<Runnable> order) {
        return new BoundedExecutor(name, threads, new PriorityBlockingQueue<>(16, order), Math.max(1, queue));
    }

    private BoundedExecutor(String name, int threads, BlockingQueue<Runnable> queue, int queueLimit) {
        this.name = name;
        this.queueLimit = queueLimit;
        AtomicInteger counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, queue, r -> {
            Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * A single daemon thread for timed actions (deadlines, delays): cancelled actions leave its queue at once, so it
     * holds only what is still due. The other kind of background thread the service makes; none is made elsewhere.
     */
    public static java.util.concurrent.ScheduledThreadPoolExecutor timer(String name) {
        java.util.concurrent.ScheduledThreadPoolExecutor timer = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** @throws QuiverException SERVICE_BUSY when every thread is busy and the queue is full */
    public <T> Future<T> submit(Callable<T> task) {
        if (pool.getQueue() instanceof PriorityBlockingQueue) {
            throw new IllegalStateException(name + " orders its tasks: give them to execute");
        }
        try {
            return pool.submit(task);
        } catch (RejectedExecutionException e) {
            throw busy(e);
        }
    }

    /** @throws QuiverException SERVICE_BUSY when every thread is busy and the queue is full */
    @Override
    public void execute(Runnable task) {
        try {
            if (pool.getQueue() instanceof PriorityBlockingQueue) {
                synchronized (this) { // the ordered queue has no bound of its own: check and enqueue as one step
                    if (pool.getQueue().size() >= queueLimit) {
                        throw new RejectedExecutionException("queue full");
                    }
                    pool.execute(task);
                }
                return;
            }
            pool.execute(task);
        } catch (RejectedExecutionException e) {
            throw busy(e);
        }
    }

    /** Tasks waiting for a thread. */
    public int queued() {
        return pool.getQueue().size();
    }

    private QuiverException busy(RejectedExecutionException e) {
        return new QuiverException(ErrorCode.SERVICE_BUSY, pool.isShutdown() ? "the service is stopping; retry on another replica"
                : "the service is at its limit of concurrent " + name + " work; retry shortly", e);
    }

    /** Refuses new tasks, lets running ones end for up to {@code wait}, then interrupts what is left. */
    public void close(Duration wait) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                if (!pool.awaitTermination(Math.min(wait.toMillis(), 5_000), TimeUnit.MILLISECONDS)) {
                    LOG.warnf("%s: %d tasks did not stop; leaving them to end with the process", name, pool.getActiveCount());
                }
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
