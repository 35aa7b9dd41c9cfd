package io.quiver.offline;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quiver.concurrent.BoundedExecutor;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.Failures;
import io.quiver.error.QuiverException;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.model.FeatureGroup;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Opens {@link Session}s: one write to a group version, from its intent through its uploads to its commit, and the
 * clean-up of whatever it leaves if it does not commit. The rules: files are uploaded only under a live intent, with
 * keys naming it; a commit is retried on a moved head with exponential backoff and jitter, a bounded number of times;
 * when a commit fails in a way that leaves its outcome open (the registry connection dropped), the session finds out
 * whether it landed before touching anything: it fences the intent, so the commit cannot land later, or finds the
 * snapshot carrying its commit id. Uploaded files are deleted only when the commit provably did not land; when that
 * cannot be found out they are left, and the sweeper settles them after the grace period.
 */
@ApplicationScoped
public class WriteSessions {

    private static final Logger LOG = Logger.getLogger(WriteSessions.class);
    /** Uploads of one session in flight at once: bounds the local files a fast writer can run ahead of S3. */
    private static final int UPLOADS_IN_FLIGHT = 2;
    private static final Duration UPLOAD_WAIT = Duration.ofMinutes(10);

    private final WriteIntents intents;
    private final SnapshotLog log;
    private final ObjectStore objects;
    private final Guard commitRetry;
    private final Guard settleRetry;
    private final int commitAttempts;
    private final BoundedExecutor uploads;

    public WriteSessions(WriteIntents intents, SnapshotLog log, ObjectStore objects, QuiverConfig config) {
        this.intents = intents;
        this.log = log;
        this.objects = objects;
        this.commitAttempts = Math.max(1, config.ingest().commitAttempts());
        this.commitRetry = Guard.create().withDescription("offline commit")
                .withRetry().maxRetries(commitAttempts - 1).delay(10, ChronoUnit.MILLIS).jitter(10, ChronoUnit.MILLIS)
                .withExponentialBackoff().factor(2).maxDelay(1, ChronoUnit.SECONDS).done()
                .retryOn(SnapshotLog.HeadMovedException.class).done().build();
        Duration settle = config.offline().commitSettleTimeout();
        this.settleRetry = Guard.create().withDescription("commit outcome")
                .withRetry().maxRetries(Integer.MAX_VALUE).maxDuration(settle.toMillis(), ChronoUnit.MILLIS)
                .delay(200, ChronoUnit.MILLIS).jitter(100, ChronoUnit.MILLIS)
                .withExponentialBackoff().factor(2).maxDelay(5, ChronoUnit.SECONDS).done()
                .retryOn(RuntimeException.class).done().build();
        this.uploads = new BoundedExecutor("quiver-upload", config.ingest().uploadThreads(), 4 * config.ingest().uploadThreads());
    }

    @PreDestroy
    void stop() {
        uploads.close(Duration.ofSeconds(10));
    }

    /** A new write to the group version; {@code background} uploads files on the shared pool while the next is written. */
    public Session open(FeatureGroup g, SnapshotOperation operation, boolean background) {
        return new Session(g, intents.open(g, operation), background);
    }

    /**
     * The write id a data file's name carries ({@code <id>_<n>.parquet}, or {@code <id>_files/...} for the directory
     * an engine wrote into), or null for files named otherwise.
     */
    static String writeIdOf(String fileName) {
        int cut = fileName.indexOf('_');
        return cut == 36 ? fileName.substring(0, cut) : null;
    }

    /** One write. Not thread-safe, except that uploads run on the shared pool. */
    public final class Session implements AutoCloseable {
        private final FeatureGroup group;
        private final String id;
        private final boolean background;
        private final Semaphore inFlight = new Semaphore(UPLOADS_IN_FLIGHT);
        private final List<Future<SnapshotFile>> pending = new ArrayList<>();
        private final List<Upload> queued = new ArrayList<>();
        /** Every key an upload was started for, whether it finished or not. */
        private final List<String> keys = Collections.synchronizedList(new ArrayList<>());
        private int next;
        private Snapshot committed;
        /** Set once settled: true when the commit provably did not land (and never will). */
        private Boolean notLanded;
        /** The key prefix of the directory an engine wrote this write's files into ({@link #directoryUri}), or null. */
        private String directory;

        private Session(FeatureGroup group, String id, boolean background) {
            this.group = group;
            this.id = id;
            this.background = background;
        }

        /** The write's id, which its commit carries. */
        public String id() {
            return id;
        }

        /** Uploads a written file (in the background or now); the key names this write. */
        public void add(ParquetFileWriter.Written written) {
            if (!background) {
                pending.add(java.util.concurrent.CompletableFuture.completedFuture(uploadNow(written)));
                return;
            }
            inFlight.acquireUninterruptibly();
            Upload upload = new Upload(written, org.jboss.logging.MDC.get("requestId"));
            try {
                pending.add(uploads.submit(upload));
                queued.add(upload);
            } catch (RuntimeException e) {
                inFlight.release();
                throw e;
            }
        }

        /**
         * One background upload holding one of the session's in-flight slots. Whoever claims it first decides: the
         * pool thread runs it (and gives the slot back when done), or {@link #close} withdraws it before it started
         * (and gives the slot back itself); a cancelled task that never runs would otherwise keep its slot forever.
         */
        private final class Upload implements java.util.concurrent.Callable<SnapshotFile> {
            private final ParquetFileWriter.Written written;
            private final Object requestId;
            private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();

            Upload(ParquetFileWriter.Written written, Object requestId) {
                this.written = written;
                this.requestId = requestId;
            }

            @Override
            public SnapshotFile call() {
                if (!claimed.compareAndSet(false, true)) {
                    return null; // withdrawn: the session is closing and gave the slot back
                }
                if (requestId != null) {
                    org.jboss.logging.MDC.put("requestId", requestId); // the upload's log lines belong to the request
                }
                try {
                    return uploadNow(written);
                } finally {
                    org.jboss.logging.MDC.remove("requestId");
                    inFlight.release();
                }
            }

            /** True when the upload had not started and now never will. */
            boolean withdraw() {
                return claimed.compareAndSet(false, true);
            }
        }

        /**
         * The address of a directory under the version's data prefix, named after this write ({@code <id>_files}), for
         * an engine that writes the files itself ({@link #adopt}). Whatever lands in it belongs to this write: what
         * the commit does not reference is removed after it, all of it when the write does not land, and the sweeper
         * treats it like the write's own files should this process die first.
         */
        public String directoryUri() {
            directory = group.dataPrefix() + id + "_files";
            return objects.uri(directory);
        }

        /** Takes data files an engine wrote into {@link #directoryUri} as this write's (the commit checks their sizes). */
        public void adopt(List<ExternalWrite.File> files) {
            if (directory == null) {
                throw new IllegalStateException("no directory was given out for this write");
            }
            for (ExternalWrite.File f : files) {
                String key = io.quiver.objectstore.ObjectKeys.check(directory + "/" + f.name());
                keys.add(key);
                pending.add(java.util.concurrent.CompletableFuture.completedFuture(new SnapshotFile(key, f.rows(), f.bytes(),
                        f.minEventTime(), f.maxEventTime(), f.minKey(), f.maxKey())));
            }
        }

        /** Uploads a file now, for a file the caller needs at once (a backfill's rewrite). */
        public SnapshotFile uploadNow(ParquetFileWriter.Written w) {
            String key;
            synchronized (this) {
                key = group.dataPrefix() + id + "_" + next++ + ".parquet";
            }
            keys.add(key); // before the upload: a failed upload may still leave a partial object behind
            objects.put(key, w.file());
            return new SnapshotFile(key, w.rows(), w.bytes(), w.minEventTime(), w.maxEventTime(), w.minKey(), w.maxKey());
        }

        /** Waits for every upload; the first failure fails the write. */
        public List<SnapshotFile> await() {
            List<SnapshotFile> files = new ArrayList<>();
            for (Future<SnapshotFile> f : pending) {
                try {
                    files.add(f.get(UPLOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "the write was interrupted; nothing was committed", e);
                } catch (TimeoutException e) {
                    throw new QuiverException(ErrorCode.OBJECT_STORE_UNAVAILABLE, "uploading a data file took longer than "
                            + UPLOAD_WAIT.toMinutes() + " minutes; nothing was committed, retry the write", e);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof QuiverException q) {
                        throw q;
                    }
                    throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "uploading a data file failed; nothing was committed",
                            e.getCause());
                }
            }
            return files;
        }

        /** Deletes uploaded files the commit will not use (rewrites of a head that moved on). */
        public void discard(List<SnapshotFile> files) {
            List<String> doomed = files.stream().map(SnapshotFile::key).toList();
            keys.removeAll(doomed);
            deleteQuietly(doomed);
        }

        /**
         * Commits the change {@code build} makes (called again for every attempt: a rewrite rebuilds on the new head).
         * A moved head is retried with backoff; a commit whose outcome is open is settled first, and returns its
         * snapshot if it landed after all.
         */
        public Snapshot commit(Supplier<SnapshotChange> build) {
            try {
                committed = commitRetry.call(() -> {
                    SnapshotChange change = build.get();
                    checkUploaded(change);
                    return log.commit(group, id, change);
                }, Snapshot.class);
                intents.release(id);
                return committed;
            } catch (SnapshotLog.HeadMovedException e) {
                throw new QuiverException(ErrorCode.CONFLICT, "feature group '" + group.name() + "' version " + group.version()
                        + " kept changing under this write: it lost " + commitAttempts + " commits in a row to other writers; "
                        + "nothing was committed, retry later", e);
            } catch (QuiverException e) {
                throw e; // refused inside the commit's transaction, which rolled back: it did not land
            } catch (Exception e) {
                // The commit's transaction may or may not have committed (e.g. the connection dropped during COMMIT).
                Optional<Optional<Snapshot>> outcome = settle();
                if (outcome.isPresent() && outcome.get().isPresent()) {
                    LOG.warnf(e, "the commit of write %s to %s@%d failed on its way back, but it landed as snapshot %d",
                            id, group.name(), group.version(), outcome.get().get().id());
                    committed = outcome.get().get();
                    return committed;
                }
                if (outcome.isEmpty()) {
                    throw new QuiverException(ErrorCode.COMMIT_OUTCOME_UNKNOWN, "the registry database failed while this write to '"
                            + group.name() + "' was committing, and it could not be found out whether the commit landed. Nothing "
                            + "will be deleted: look for commit id " + id + " in snapshots(group: \"" + group.name()
                            + "\") once the registry answers, and write again only if it is not there", e);
                }
                QuiverException failure = Failures.classify(e);
                throw new QuiverException(failure.code(), failure.getMessage().replace("nothing was changed", "nothing was committed"), e);
            }
        }

        /** Refuses to commit files that are not (or no longer) in the object store whole. */
        private void checkUploaded(SnapshotChange change) {
            for (SnapshotChange.Added a : change.added()) {
                Optional<ObjectInfo> stat = objects.stat(a.file().key());
                if (stat.isEmpty() || stat.get().size() != a.file().bytes()) {
                    throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "a data file of this write to '" + group.name()
                            + "' is missing from the object store or incomplete; nothing was committed, retry the write");
                }
            }
        }

        /**
         * Finds out whether this write's commit landed: fencing the intent proves it did not (and never will); if the
         * intent is already gone, the snapshot with this commit id says it did, its absence that it was fenced by the
         * sweeper. Retried while the registry fails, for {@code quiver.offline.commit-settle-timeout}.
         *
         * @return the landed snapshot, empty when it provably did not land; outer empty when it could not be found out
         */
        private Optional<Optional<Snapshot>> settle() {
            try {
                Optional<Snapshot> landed = settleRetry.call(() -> intents.fence(id) ? Optional.<Snapshot>empty() : log.byCommit(group, id),
                        new jakarta.enterprise.util.TypeLiteral<Optional<Snapshot>>() {
                        });
                notLanded = landed.isEmpty();
                return Optional.of(landed);
            } catch (Exception e) {
                LOG.errorf(e, "could not find out whether write %s to %s@%d landed; its files are left to the sweeper", id,
                        group.name(), group.version());
                return Optional.empty();
            }
        }

        /** Waits for uploads still running; if the write did not commit, settles it and removes its files when it did not land. */
        @Override
        public void close() {
            for (Future<SnapshotFile> f : pending) {
                f.cancel(false);
            }
            for (Upload u : queued) {
                if (u.withdraw()) {
                    inFlight.release();
                }
            }
            inFlight.acquireUninterruptibly(UPLOADS_IN_FLIGHT); // running uploads have ended
            inFlight.release(UPLOADS_IN_FLIGHT);
            if (committed != null) {
                tidyDirectory();
                return;
            }
            intents.release(id);
            if (notLanded == null) {
                Optional<Optional<Snapshot>> outcome = settle();
                if (outcome.isPresent() && outcome.get().isPresent()) {
                    return; // cannot happen without a commit attempt, but never delete what a snapshot references
                }
            }
            if (Boolean.TRUE.equals(notLanded)) {
                List<String> left;
                synchronized (keys) {
                    left = List.copyOf(keys);
                }
                deleteQuietly(left);
                tidyDirectory();
            }
        }

        /**
         * Removes what an engine left in this write's directory that no snapshot references: after the commit, its
         * markers and empty files; when the write did not land, everything (the adopted files are deleted above).
         */
        private void tidyDirectory() {
            if (directory == null) {
                return;
            }
            try {
                java.util.Set<String> used = committed == null ? java.util.Set.of() : java.util.Set.copyOf(keys);
                deleteQuietly(objects.list(directory + "/").stream().map(ObjectInfo::key).filter(k -> !used.contains(k)).toList());
            } catch (QuiverException e) {
                LOG.warnf("could not list the files write %s left in %s; the sweeper removes them after the grace period", id, directory);
            }
        }
    }

    private void deleteQuietly(List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try {
            objects.delete(keys);
        } catch (QuiverException e) {
            // Files of a write that did not commit and no intent protects: the sweeper removes them after the grace period.
            LOG.warnf("could not remove %d uncommitted files: %s", keys.size(), e.getMessage());
        }
    }
}
