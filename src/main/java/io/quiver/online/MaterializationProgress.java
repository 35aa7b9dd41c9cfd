package io.quiver.online;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.quiver.concurrent.BoundedExecutor;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A materialization job as it progresses, for subscribers: its state now, then each change of status or entities
 * written, completing after it SUCCEEDED or FAILED. It reads the job's row every {@link #INTERVAL}, so it follows
 * jobs running on any replica; one timer thread ticks and reads for all subscribers (no thread per subscriber), and at most
 * {@code quiver.online.max-progress-subscriptions} jobs are followed at once.
 */
@ApplicationScoped
public class MaterializationProgress {

    static final Duration INTERVAL = Duration.ofMillis(250);

    private final MaterializationJobs jobs;
    private final int maxFollowers;
    private final AtomicInteger followers = new AtomicInteger();
    /** One thread reads for every subscriber, each every INTERVAL (a read takes about a millisecond). */
    private final ScheduledExecutorService timer = BoundedExecutor.timer("quiver-job-progress");

    public MaterializationProgress(MaterializationJobs jobs, QuiverConfig config) {
        this.jobs = jobs;
        this.maxFollowers = config.online().maxProgressSubscriptions();
    }

    /** Fails with SERVICE_BUSY beyond the cap, with INVALID_ARGUMENT for an unknown job. */
    public Multi<MaterializationJob> follow(long jobId) {
        return Multi.createFrom().<MaterializationJob>emitter(emitter -> {
            if (followers.incrementAndGet() > maxFollowers) {
                followers.decrementAndGet();
                emitter.fail(new QuiverException(ErrorCode.SERVICE_BUSY, "this replica already follows " + maxFollowers
                        + " jobs for subscribers (quiver.online.max-progress-subscriptions); retry shortly or poll materializationJobs"));
                return;
            }
            AtomicReference<MaterializationJob> last = new AtomicReference<>();
            AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
            task.set(timer.scheduleWithFixedDelay(() -> {
                if (emitter.isCancelled()) {
                    cancel(task);
                    return;
                }
                try {
                    MaterializationJob job = jobs.get(jobId).orElse(null);
                    if (job == null) {
                        emitter.fail(new InvalidArgumentException("there is no materialization job " + jobId));
                        return;
                    }
                    if (changed(last.getAndSet(job), job)) {
                        emitter.emit(job);
                    }
                    if (job.status().done()) {
                        emitter.complete();
                    }
                } catch (RuntimeException e) {
                    emitter.fail(e);
                }
            }, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
            emitter.onTermination(() -> {
                followers.decrementAndGet();
                cancel(task);
            });
        });
    }

    private static void cancel(AtomicReference<ScheduledFuture<?>> task) {
        ScheduledFuture<?> f = task.get();
        if (f != null) {
            f.cancel(false);
        }
    }

    private static boolean changed(MaterializationJob previous, MaterializationJob now) {
        return previous == null || previous.status() != now.status() || previous.entities() != now.entities();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
