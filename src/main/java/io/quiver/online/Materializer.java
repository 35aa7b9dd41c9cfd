package io.quiver.online;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import io.quiver.concurrent.BoundedExecutor;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.Failures;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.objectstore.ObjectStore;
import io.quiver.offline.ObjectFileCache;
import io.quiver.offline.ScaleOutJoin;
import io.quiver.offline.ScaleOutLoad;
import io.quiver.offline.Snapshot;
import io.quiver.offline.SnapshotFile;
import io.quiver.offline.SnapshotLog;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Materialization: the latest row per entity of a group version's offline data within an event-time range goes
 * into the online store. {@code materialize} takes an explicit range; {@code materializeIncremental} runs from where
 * the last successful run ended (earlier when a write's online update failed since) to now. Every run is a recorded
 * job (queued, running, succeeded, failed; entities, duration, error) and holds the group's lease, so one run at a
 * time per group version, across replicas. Online writes never replace newer values, so a failed or repeated run
 * leaves the online store consistent and can simply be run again.
 */
@ApplicationScoped
public class Materializer {

    private static final Logger LOG = Logger.getLogger(Materializer.class);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final String REQUEST_ID = "requestId";

    private final RegistryCatalog catalog;
    private final SnapshotLog snapshots;
    private final ObjectFileCache files;
    private final OnlineLoader loader;
    private final EffectiveConfigResolver settings;
    private final MaterializationJobs jobs;
    private final OnlineSync.PendingWrites pending;
    private final BoundedExecutor runner;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    /** Spark, when the service has it: large loads pick the latest rows there. */
    private final jakarta.enterprise.inject.Instance<ScaleOutLoad> scaleOut;
    private final ObjectStore objects;
    /** How long a job's hold on its group lasts unrenewed; a replica that dies mid-job frees it after this. */
    private final Duration lease;
    /** Renews the leases of running jobs, three times per lease, whatever the job is doing (downloading, loading). */
    private final java.util.concurrent.ScheduledExecutorService renewals = io.quiver.concurrent.BoundedExecutor.timer("quiver-materialize-lease");
    private final Guard endRetry = Guard.create().withDescription("record a materialization job's end")
            .withRetry().maxRetries(5).delay(200, ChronoUnit.MILLIS).jitter(100, ChronoUnit.MILLIS)
            .withExponentialBackoff().factor(2).maxDelay(5, ChronoUnit.SECONDS).done().done().build();

    public Materializer(RegistryCatalog catalog, SnapshotLog snapshots, ObjectFileCache files, OnlineLoader loader,
            MaterializationJobs jobs, OnlineSync.PendingWrites pending, QuiverConfig config, EffectiveConfigResolver settings,
            io.micrometer.core.instrument.MeterRegistry meters, jakarta.enterprise.inject.Instance<ScaleOutLoad> scaleOut, ObjectStore objects) {
        this.scaleOut = scaleOut;
        this.objects = objects;
        this.meters = meters;
        this.lease = config.online().jobLease();
        this.settings = settings;
        this.catalog = catalog;
        this.snapshots = snapshots;
        this.files = files;
        this.loader = loader;
        this.jobs = jobs;
        this.pending = pending;
        // threads start on demand: nothing runs before a job is submitted
        this.runner = new BoundedExecutor("quiver-materialize", 2, config.online().maxQueuedJobs());
    }

    /** Materializes [start, end) of the group version; waits for the job to end when {@code wait}. */
    public MaterializationJob materialize(String group, int version, Instant start, Instant end, boolean wait,
            MaterializationJob.Trigger trigger) {
        if (start == null || end == null || !start.isBefore(end)) {
            throw new InvalidArgumentException("materialize needs start before end, the event-time range [start, end); got ["
                    + start + ", " + end + ")");
        }
        FeatureGroup g = onlineGroup(group, version);
        return submit(jobs.create(g, MaterializationJob.Kind.RANGE, trigger, start, end, requestId()), wait);
    }

    /** Materializes from where the last successful run ended (or the beginning) to now. */
    public MaterializationJob materializeIncremental(String group, int version, boolean wait, MaterializationJob.Trigger trigger) {
        FeatureGroup g = onlineGroup(group, version);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return submit(jobs.create(g, MaterializationJob.Kind.INCREMENTAL, trigger, null, now, requestId()), wait);
    }

    /** The id the job's work is logged under: the request's, or one of its own (scheduled runs). */
    private static String requestId() {
        Object id = MDC.get(REQUEST_ID);
        return id != null ? id.toString() : "job-" + UUID.randomUUID();
    }

    private FeatureGroup onlineGroup(String group, int version) {
        FeatureGroup g = catalog.group(group, version).group();
        settings.requireStoredData(g, "materialize");
        if (!g.onlineEnabled()) {
            throw new InvalidArgumentException("feature group '" + g.name() + "' version " + g.version()
                    + " has onlineEnabled: false, so it keeps no online values; register it with onlineEnabled: true first");
        }
        return g;
    }

    private MaterializationJob submit(MaterializationJob job, boolean wait) {
        if (wait) {
            run(job);
        } else {
            try {
                runner.execute(() -> run(job));
            } catch (QuiverException busy) {
                // refused by the bounded queue: the job ends at once, saying why, rather than waiting forever
                end(job, MaterializationJob.Status.FAILED, 0, busy.getMessage() + " (quiver.online.max-queued-jobs)", busy.code());
            }
        }
        return jobs.get(job.id()).orElse(job);
    }

    /** Runs the job; whatever happens, it ends SUCCEEDED or FAILED with the reason (or is ended by the reaper). */
    private void run(MaterializationJob job) {
        Object previous = MDC.get(REQUEST_ID);
        MDC.put(REQUEST_ID, job.requestId() == null ? "job-" + job.id() : job.requestId());
        try {
            execute(job);
        } catch (Throwable e) {
            LOG.errorf(e, "materialization job %d of %s@%d failed", job.id(), job.group(), job.version());
            QuiverException failure = Failures.classify(e);
            end(job, MaterializationJob.Status.FAILED, 0, failure.getMessage(), failure.code());
            if (e instanceof Error error && !(e instanceof StackOverflowError)) {
                throw error;
            }
        } finally {
            if (previous == null) {
                MDC.remove(REQUEST_ID);
            } else {
                MDC.put(REQUEST_ID, previous);
            }
        }
    }

    private void execute(MaterializationJob job) {
        Optional<GroupSchema> found = catalog.find(job.group(), job.version());
        if (found.isEmpty()) {
            end(job, MaterializationJob.Status.FAILED, 0, "the group version was deleted before the job ran", ErrorCode.FEATURE_GROUP_NOT_FOUND);
            return;
        }
        GroupSchema schema = found.get();
        underLease(job, schema.group(), progress -> load(job, schema, progress));
    }

    /** What a job reports while it runs; {@link #entities} throws once the job has lost its lease, to stop it. */
    public interface Progress {
        /**
         * The job starts reading: the snapshot it reads (null: none), the rows it reads, where its range starts, and
         * the engine that computes its rows (DUCKDB or SPARK) with the reason.
         */
        void started(Long snapshotId, long rowsRead, Instant start, String engine, String engineReason);

        /** Entities written so far (recorded at most twice a second). */
        void entities(long n);
    }

    /** The work of a job, given its progress; returns the entities it wrote. */
    @FunctionalInterface
    public interface Work {
        long run(Progress progress);
    }

    /**
     * Runs {@code work} in the caller's thread as a recorded job of the group ({@code kind}, {@code trigger}, covering
     * everything up to now), holding the group's lease like every materialization, and returns the job as it ended:
     * SUCCEEDED, or FAILED with the reason (another run holds the group, or the work failed).
     */
    public MaterializationJob runAsJob(FeatureGroup g, MaterializationJob.Kind kind, MaterializationJob.Trigger trigger, Work work) {
        MaterializationJob job = jobs.create(g, kind, trigger, null, Instant.now().truncatedTo(ChronoUnit.MICROS), requestId());
        try {
            underLease(job, g, work);
        } catch (RuntimeException e) {
            QuiverException failure = Failures.classify(e);
            end(job, MaterializationJob.Status.FAILED, 0, failure.getMessage(), failure.code());
        }
        return jobs.get(job.id()).orElse(job);
    }

    /** Takes the group's lease, runs the work while a timer renews it, records how the job ended, releases it. */
    private void underLease(MaterializationJob job, FeatureGroup g, Work work) {
        long started = System.nanoTime();
        Optional<Long> holder;
        try {
            holder = jobs.acquire(g.id(), job.id(), lease);
        } catch (RuntimeException e) {
            if (!isKeyConflict(e)) {
                LOG.errorf(e, "job %d could not take the materialization lease of %s@%d", job.id(), g.name(), g.version());
                QuiverException failure = Failures.classify(e);
                end(job, MaterializationJob.Status.FAILED, 0, "could not take the group's materialization lease: " + failure.getMessage(),
                        failure.code());
                return;
            }
            holder = Optional.of(-1L); // another replica inserted the lease at the same moment
        }
        if (holder.isPresent()) {
            end(job, MaterializationJob.Status.FAILED, 0, "another materialization of " + g.name() + " version "
                    + g.version() + " is running" + (holder.get() > 0 ? " (job " + holder.get() + ")" : "") + "; run this one again after it",
                    ErrorCode.CONFLICT);
            return;
        }
        AtomicLong entities = new AtomicLong();
        java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();
        long every = Math.max(100, lease.toMillis() / 3);
        java.util.concurrent.ScheduledFuture<?> renewal = renewals.scheduleWithFixedDelay(() -> renew(g, job, lost), every, every,
                TimeUnit.MILLISECONDS);
        long[] lastReport = {System.nanoTime()};
        Progress progress = new Progress() {
            @Override
            public void started(Long snapshotId, long rowsRead, Instant start, String engine, String engineReason) {
                jobs.started(job.id(), snapshotId, rowsRead, start, engine, engineReason);
            }

            @Override
            public void entities(long n) {
                entities.set(n);
                stopIfLost(lost, g);
                if (System.nanoTime() - lastReport[0] > PROGRESS_EVERY_NANOS) {
                    lastReport[0] = System.nanoTime();
                    jobs.progress(job.id(), n);
                }
            }
        };
        try {
            long written = work.run(progress);
            stopIfLost(lost, g);
            end(job, MaterializationJob.Status.SUCCEEDED, written, null, null);
            LOG.infof("%s job %d of %s@%d: %d entities in %d ms", job.kind(), job.id(), g.name(), g.version(), written,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (RuntimeException e) {
            LOG.warnf(e, "materialization job %d of %s@%d failed", job.id(), g.name(), g.version());
            QuiverException failure = Failures.classify(e);
            end(job, MaterializationJob.Status.FAILED, entities.get(), failure.getMessage(), failure.code());
        } finally {
            renewal.cancel(false);
            try {
                jobs.release(g.id(), job.id());
            } catch (RuntimeException e) {
                LOG.warnf("could not release the materialization lease of %s@%d (it expires by itself): %s", g.name(), g.version(), e.getMessage());
            }
        }
    }

    /** The latest row per entity of the job's range, from the offline snapshot into the online store. */
    private long load(MaterializationJob job, GroupSchema schema, Progress progress) {
        FeatureGroup g = schema.group();
        Instant start = job.start();
        OnlineSync.PendingWrites.Pending flagged = new OnlineSync.PendingWrites.Pending(List.of(), null);
        if (job.kind() == MaterializationJob.Kind.INCREMENTAL) {
            flagged = pending.pending(g.id());
            start = earliest(jobs.lastIncrementalEnd(g.id()).orElse(null), flagged.earliest(), !flagged.ids().isEmpty());
        }
        Optional<Snapshot> snapshot = snapshots.current(g);
        Instant from = start;
        List<SnapshotFile> relevant = snapshot.map(snapshots::files).orElse(List.of()).stream()
                .filter(f -> f.maxEventTime() != null && (from == null || !f.maxEventTime().isBefore(from))
                        && f.minEventTime().isBefore(job.end()))
                .toList();
        long rowsRead = relevant.stream().mapToLong(SnapshotFile::rows).sum();
        AtomicLong entities = new AtomicLong();
        java.util.function.LongConsumer loaded = n -> {
            entities.set(n);
            progress.entities(n);
        };
        ScaleOutJoin.Route route = scaleOut.isResolvable() ? scaleOut.get().route(schema, rowsRead)
                : new ScaleOutJoin.Route(ScaleOutJoin.Engine.DUCKDB, "no scale-out engine is configured");
        progress.started(snapshot.map(Snapshot::id).orElse(null), rowsRead, start, route.engine().name(), route.reason());
        if (route.engine() == ScaleOutJoin.Engine.SPARK && !relevant.isEmpty()) {
            LOG.infof("materialization job %d of %s@%d picks the latest rows on Spark: %s", job.id(), g.name(), g.version(), route.reason());
            Path latest = latestElsewhere(schema, relevant, start, job.end());
            try {
                loader.load(schema, List.of(latest), null, null, loaded);
            } finally {
                try {
                    java.nio.file.Files.deleteIfExists(latest);
                } catch (java.io.IOException e) {
                    LOG.debugf("could not remove %s: %s", latest, e.getMessage());
                }
            }
        } else {
            try (ObjectFileCache.Lease files = this.files.leaseFiles(relevant)) {
                loader.load(schema, files.paths(), start, job.end(), loaded);
            }
        }
        progress.entities(entities.get());
        pending.clear(flagged.ids());
        return entities.get();
    }

    /**
     * The latest row of each entity of [start, end) among the snapshot's files, picked by the scale-out engine: from
     * the object store itself when it reads the lake (nothing is fetched here), else from local copies.
     */
    private Path latestElsewhere(GroupSchema schema, List<SnapshotFile> relevant, Instant start, Instant end) {
        ScaleOutLoad engine = scaleOut.get();
        if (engine.readsLake()) {
            return engine.latest(schema, relevant.stream().map(f -> objects.uri(f.key())).toList(), start, end);
        }
        try (ObjectFileCache.Lease files = this.files.leaseFiles(relevant)) {
            return engine.latest(schema, files.paths().stream().map(p -> p.toAbsolutePath().toUri().toString()).toList(), start, end);
        }
    }

    /** Extends the job's lease; marks it lost when another job holds the group now (this one lapsed). */
    private void renew(FeatureGroup g, MaterializationJob job, java.util.concurrent.atomic.AtomicBoolean lost) {
        try {
            if (!lost.get() && !jobs.renew(g.id(), job.id(), lease)) {
                lost.set(true);
                LOG.warnf("materialization job %d of %s@%d lost its lease; it stops", job.id(), g.name(), g.version());
            }
        } catch (RuntimeException e) {
            // the registry is unreachable: the lease runs on until it lapses, and the next renewal tries again
            LOG.warnf("could not renew the lease of materialization job %d: %s", job.id(), e.getMessage());
        }
    }

    private static void stopIfLost(java.util.concurrent.atomic.AtomicBoolean lost, FeatureGroup g) {
        if (lost.get()) {
            throw new QuiverException(ErrorCode.CONFLICT, "the job's hold on " + g.name() + " version " + g.version()
                    + " lapsed (the registry was unreachable for longer than quiver.online.job-lease) and another run may"
                    + " hold it now; what was written stays consistent; run it again if needed");
        }
    }

    /**
     * Records how the job ended, retried while the registry fails (bounded); if it still cannot be recorded, the job
     * stays RUNNING until the reaper of abandoned jobs ends it (its lease lapses).
     */
    private void end(MaterializationJob job, MaterializationJob.Status status, long entities, String error, ErrorCode code) {
        meters.counter("quiver.materialization.jobs", "status", status.name()).increment();
        meters.counter("quiver.materialization.entities").increment(entities);
        try {
            boolean recorded = endRetry.call(() -> jobs.finished(job.id(), status, entities, error, code), Boolean.class);
            if (!recorded) {
                LOG.warnf("materialization job %d ended %s after it had been ended as abandoned; the first end stands", job.id(), status);
            }
        } catch (Exception e) {
            LOG.errorf(e, "could not record that materialization job %d ended %s; the reaper of abandoned jobs will end it", job.id(), status);
        }
    }

    private static boolean isKeyConflict(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException
                    || t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where an incremental run starts: the last successful run's end, moved back to the earliest pending write.
     * A pending write without event times (an empty write) needs nothing; no previous run means the beginning.
     */
    static Instant earliest(Instant lastEnd, Instant earliestPending, boolean anyPending) {
        if (lastEnd == null) {
            return null;
        }
        if (anyPending && earliestPending != null && earliestPending.isBefore(lastEnd)) {
            return earliestPending;
        }
        return lastEnd;
    }

    @PreDestroy
    void stop() {
        runner.close(Duration.ofSeconds(10));
        renewals.shutdownNow();
    }
}
