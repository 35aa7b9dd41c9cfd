package io.quiver.virtual;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.apache.spark.sql.connect.SparkSession;
import org.jboss.logging.Logger;

import io.quiver.concurrent.BoundedExecutor;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The session to the Spark Connect server ({@code quiver.spark.url}), opened on first use and shared by every query
 * (Spark Connect runs a session's operations concurrently). The session reads times in UTC, gives Java 8 time types
 * and may not query files by path in SQL ({@code spark.sql.runSQLOnFiles = false}): templates read only the views this
 * service makes of a read's files; the data files it writes keep instants as INT64 microseconds adjusted to UTC, as
 * the service's own do. Each query carries a tag of its own; past its time limit the tag's operations
 * are interrupted on the server.
 */
@ApplicationScoped
public class SparkEngine {

    private static final Logger LOG = Logger.getLogger(SparkEngine.class);

    private final QuiverConfig.Spark config;
    private SparkSession session;
    private ScheduledThreadPoolExecutor timer;

    public SparkEngine(QuiverConfig config) {
        this.config = config.spark();
    }

    /** Whether a server is configured; without one, work meant for Spark runs on DuckDB. */
    public boolean configured() {
        return config.url().isPresent();
    }

    QuiverConfig.Spark config() {
        return config;
    }

    private synchronized SparkSession session() {
        if (session == null) {
            String url = config.url().orElseThrow(() -> new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED,
                    "no Spark Connect server is configured; set quiver.spark.url (sc://host:15002) or use query_executor_type DUCKDB"));
            try {
                SparkSession s = SparkSession.builder().remote(connectionString(url, config.token().orElse(null))).create();
                s.conf().set("spark.sql.session.timeZone", "UTC");
                s.conf().set("spark.sql.datetime.java8API.enabled", "true");
                s.conf().set("spark.sql.runSQLOnFiles", "false");
                // data files Spark writes store instants as the service's do (INT64 microseconds, adjusted to UTC), not INT96
                s.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
                session = s;
            } catch (RuntimeException e) {
                LOG.warnf("the Spark Connect server could not be reached: %s", message(e));
                throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the Spark Connect server (quiver.spark.url) could not be "
                        + "reached; check that it runs, or set query_executor_type to DUCKDB for the group", e);
            }
        }
        return session;
    }

    /**
     * Spark Connect's connection string: {@code sc://host:port/;param=value;...} (parameters follow a {@code /}). A
     * token is added as {@code ;token=}; Spark's client then uses TLS, as its protocol requires for tokens.
     */
    static String connectionString(String url, String token) {
        String u = url.strip();
        if (!u.startsWith("sc://")) {
            throw new QuiverException(ErrorCode.INVALID_ARGUMENT, "quiver.spark.url must look like sc://host:15002, not '" + u + "'");
        }
        if (token == null || token.isBlank()) {
            return u;
        }
        int params = u.indexOf(';');
        String base = params < 0 ? u : u.substring(0, params);
        String rest = params < 0 ? "" : u.substring(params);
        if (!base.substring(5).contains("/")) {
            base = base + "/";
        }
        return base + rest + ";token=" + token;
    }

    private synchronized ScheduledThreadPoolExecutor timer() {
        if (timer == null) {
            timer = BoundedExecutor.timer("quiver-spark-deadline");
        }
        return timer;
    }

    /**
     * Runs {@code action} on the session under a tag of its own, interrupted on the server after {@code timeout}.
     *
     * @param timeoutSetting the setting that gave the timeout, named in the error past it
     */
    <T> T run(Duration timeout, String timeoutSetting, Function<SparkSession, T> action) {
        return run(timeout, timeoutSetting, "check the template's columns and casts against its data sources, or report it with the request id",
                action);
    }

    /**
     * As above, with the advice a failure's message ends with.
     */
    <T> T run(Duration timeout, String timeoutSetting, String advice, Function<SparkSession, T> action) {
        SparkSession s = session();
        String tag = "quiver-" + UUID.randomUUID();
        AtomicBoolean expired = new AtomicBoolean();
        s.addTag(tag);
        ScheduledFuture<?> deadline = timer().schedule(() -> {
            expired.set(true);
            try {
                s.interruptTag(tag);
            } catch (RuntimeException e) {
                LOG.debugf("interrupting a Spark query past its deadline: %s", e.getMessage());
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        boolean done = false;
        try {
            T result = action.apply(s);
            done = true;
            return result;
        } catch (QuiverException e) {
            throw e;
        } catch (Exception e) { // Scala code throws checked SparkExceptions undeclared
            if (expired.get()) {
                throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the Spark query took longer than " + timeout.toSeconds()
                        + " s (" + timeoutSetting + ") and was stopped; narrow the work or make the template cheaper", e);
            }
            LOG.debugf("Spark query failure: %s", e.getMessage());
            if (lost(e)) {
                forget(s);
            }
            throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the query failed on Spark (" + message(e) + "); " + advice, e);
        } finally {
            if (!done && !expired.get()) {
                // a failure here (a bound passed, the answer unreadable) leaves the server computing: stop it
                try {
                    s.interruptTag(tag);
                } catch (RuntimeException e) {
                    LOG.debugf("interrupting a failed Spark query: %s", e.getMessage());
                }
            }
            deadline.cancel(false);
            try {
                s.removeTag(tag);
            } catch (RuntimeException e) {
                LOG.debugf("removing a Spark tag: %s", e.getMessage());
            }
        }
    }

    /** Whether the session itself is gone (the server restarted, or released it): the next query opens a new one. */
    private static boolean lost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("INVALID_HANDLE") || m.contains("SESSION_NOT_FOUND") || m.contains("SESSION_CLOSED") || m.contains("UNAVAILABLE")) {
                return true;
            }
        }
        return false;
    }

    private synchronized void forget(SparkSession lost) {
        if (session == lost) {
            session = null;
            try {
                lost.close();
            } catch (RuntimeException e) {
                LOG.debugf("closing a lost Spark session: %s", e.getMessage());
            }
        }
    }

    /** Spark's message without internals: the error class and its first line, paths and hosts cut. */
    static String message(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        m = nl > 0 ? m.substring(0, nl) : m;
        m = m.replaceAll("(file|s3a?|hdfs|sc)://[^\\s'\"`,)\\]]*", "<location>").replaceAll("[\\w.-]*/[\\w./=:-]+", "<path>")
                .replaceAll("\\b\\d{1,3}(\\.\\d{1,3}){3}(:\\d+)?\\b", "<host>")
                .replaceAll("\\b[A-Za-z][\\w-]*(\\.[\\w-]+)*:\\d{2,5}\\b", "<host>").replaceAll("__quiver_[\\w]+", "<source>")
                .replaceAll("(?i)token=[^;\\s]*", "token=<hidden>");
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }

    @PreDestroy
    synchronized void close() {
        if (session != null) {
            try {
                session.close();
            } catch (RuntimeException e) {
                LOG.debugf("closing the Spark session: %s", e.getMessage());
            }
            session = null;
        }
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
