package io.quiver.online;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;

/** One materialization run: what it covers, how far it got, how it ended. */
@Description("One materialization run of a group version into the online store")
public record MaterializationJob(
        @Description("Job id") long id,
        @Description("Group name") String group,
        @Description("Group version") int version,
        @Description("RANGE (materialize), INCREMENTAL (materializeIncremental) or FILL (a hybrid group's stored data from its query)") Kind kind,
        @Description("MANUAL (an API call), SCHEDULE (the group's materializationSchedule) or SELECTOR (the hybrid selector)") Trigger trigger,
        @Description("First event time covered (inclusive); null for everything before end") Instant start,
        @Description("First event time not covered") Instant end,
        @Description("QUEUED, RUNNING, SUCCEEDED or FAILED") Status status,
        @Description("Rows in the data files the job reads") long rowsRead,
        @Description("Entities whose latest values were written online so far") long entities,
        @Description("The offline snapshot the job read; null before it started") Long snapshotId,
        @Description("Why the job failed and what to do; null otherwise") String error,
        @Description("The stable error code of the failure (e.g. ONLINE_STORE_UNAVAILABLE); null otherwise") String errorCode,
        @Description("The id the server logged the job's work under: the request that started it, or the job's own for scheduled runs") String requestId,
        @Description("Where the job computed its rows: DUCKDB (this service) or SPARK; null before it started") String engine,
        @Description("Why there, in a sentence naming the setting that decided; null before it started") String engineReason,
        @Description("When the job was requested") Instant createdAt,
        @Description("When it started running") Instant startedAt,
        @Description("When it ended") Instant finishedAt) {

    /** What a job covers. */
    @Description("What a materialization job covers")
    @Name("MaterializationKind")
    public enum Kind {
        @Description("An explicit event-time range [start, end)")
        RANGE,
        @Description("From where the last successful run ended (and any write whose online update failed) to now")
        INCREMENTAL,
        @Description("A hybrid group's whole query result, stored as an offline snapshot and then online (a switch to MATERIALIZED or a refresh)")
        FILL
    }

    /** What started a job. */
    @Description("What started a materialization job")
    @Name("MaterializationTrigger")
    public enum Trigger {
        @Description("An API call")
        MANUAL,
        @Description("The group's materializationSchedule")
        SCHEDULE,
        @Description("The hybrid selector: a group turning MATERIALIZED, or its stored data refreshed")
        SELECTOR
    }

    /** Where a job is. */
    @Description("Where a materialization job is")
    @Name("MaterializationStatus")
    public enum Status {
        @Description("Accepted, not started")
        QUEUED,
        @Description("Reading the offline store and writing online")
        RUNNING,
        @Description("Done: every entity's latest value in the range is online")
        SUCCEEDED,
        @Description("Stopped by an error; the online store holds only complete, newer-wins records, so it can be rerun")
        FAILED;

        public boolean done() {
            return this == SUCCEEDED || this == FAILED;
        }
    }

    @Description("How long the job ran (so far), in milliseconds; null before it started")
    public Long getDurationMs() {
        if (startedAt == null) {
            return null;
        }
        return Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt).toMillis();
    }
}
