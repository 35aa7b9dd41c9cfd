package io.quiver.api.graphql;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.graphql.DefaultValue;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;
import org.eclipse.microprofile.graphql.Source;

import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.graphql.api.Subscription;
import io.smallrye.mutiny.Multi;
import io.quiver.api.http.Redaction;
import io.quiver.api.http.RequestBudget;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.online.MaterializationJob;
import io.quiver.online.MaterializationJobs;
import io.quiver.online.MaterializationProgress;
import io.quiver.online.Materializer;
import io.quiver.registry.RegistryCatalog;
import io.quiver.serving.OnlineResult;
import io.quiver.serving.OnlineServing;
import io.quiver.registry.model.GroupAction;
import io.quiver.security.Requires;
import io.quiver.security.Role;
import jakarta.json.JsonValue;
import jakarta.json.JsonObject;

/** GraphQL adapter for online serving: online reads, materialization jobs and their progress. */
@GraphQLApi
@TranslateErrors
public class OnlineGraphQL {

    private final OnlineServing serving;
    private final Materializer materializer;
    private final MaterializationJobs jobs;
    private final RegistryCatalog catalog;
    private final Redaction redaction;
    private final int maxEntities;
    private final MaterializationProgress progress;

    private final io.quiver.security.GroupAccess access;

    public OnlineGraphQL(OnlineServing serving, Materializer materializer, MaterializationJobs jobs, RegistryCatalog catalog,
            MaterializationProgress progress, Redaction redaction, QuiverConfig config, io.quiver.security.GroupAccess access) {
        this.access = access;
        this.redaction = redaction;
        this.serving = serving;
        this.materializer = materializer;
        this.jobs = jobs;
        this.catalog = catalog;
        this.maxEntities = config.api().maxOnlineEntities();
        this.progress = progress;
    }

    @Requires(Role.READER)
    @Query("onlineFeatures")
    @Description("The latest values of features for a few entities, for inference: one column per entity key and feature, "
            + "with a status (PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE) and event time per value. Online-enabled groups "
            + "are read from the online store in one round trip; offline-only groups, and all groups while the online store "
            + "is down, from the offline store (metadata says so)")
    public @NonNull OnlineResult onlineFeatures(
            @Description("Feature references: group.feature, group:feature or group@2.feature (after the service's, when one is named)")
            List<String> features,
            @Description("Entities: one object per entity with the join keys of every requested group") @NonNull List<@NonNull JsonObject> entities,
            @Description("Name feature columns group__feature instead of feature") @DefaultValue("false") boolean fullFeatureNames,
            @Description("A feature service whose features to read: name (its latest version) or name@version") String featureService) {
        RequestBudget.take("entities", entities.size(), maxEntities, "quiver.api.max-online-entities",
                "use historicalFeatures or POST /api/v1/historical-features for batch scoring");
        return serving.read(features, featureService, JsonRows.toRows(entities, "entities"), fullFeatureNames);
    }

    @Name("values")
    @NonBlocking
    @Description("One value per entity, in entity order (JSON: numbers, text, booleans, lists, objects, null)")
    public List<JsonValue> values(@Source List<OnlineResult.Column> columns) {
        return columns.stream().<JsonValue>map(c -> JsonRows.toJsonArray(c.values())).toList();
    }

    @Requires(Role.WRITER)
    @Mutation("materialize")
    @Description("Loads the latest row per entity with an event time in [start, end) from the offline store into the online "
            + "store, as a recorded job. Returns at once (status QUEUED or RUNNING) unless wait: true")
    public @NonNull MaterializationJob materialize(@Description("Group name") @NonNull String group,
            @Description("Version; omit for the latest") Integer version,
            @Description("First event time loaded (inclusive)") @NonNull Instant start,
            @Description("First event time not loaded") @NonNull Instant end,
            @Description("Answer only when the job has ended") @DefaultValue("false") boolean wait) {
        access.check(group, GroupAction.WRITE);
        return materializer.materialize(group, version == null ? 0 : version, start, end, wait, MaterializationJob.Trigger.MANUAL);
    }

    @Requires(Role.WRITER)
    @Mutation("materializeIncremental")
    @Description("Materializes from where the last successful run ended (earlier if a write's online update failed since) "
            + "up to now, as a recorded job; the first run loads everything")
    public @NonNull MaterializationJob materializeIncremental(@Description("Group name") @NonNull String group,
            @Description("Version; omit for the latest") Integer version,
            @Description("Answer only when the job has ended") @DefaultValue("false") boolean wait) {
        access.check(group, GroupAction.WRITE);
        return materializer.materializeIncremental(group, version == null ? 0 : version, wait, MaterializationJob.Trigger.MANUAL);
    }

    @Requires(Role.READER)
    @Query("materializationJobs")
    @Description("A group version's materialization jobs, newest first")
    public @NonNull List<@NonNull MaterializationJob> materializationJobs(@Description("Group name") @NonNull String group,
            @Description("Version; omit for the latest") Integer version,
            @Description("Only jobs with this status") MaterializationJob.Status status,
            @Description("At most this many") @DefaultValue("20") int first) {
        access.check(group, GroupAction.READ);
        return jobs.list(catalog.group(group, version == null ? 0 : version).group(), status, first);
    }

    @Requires(Role.READER)
    @Subscription("materializationProgress")
    @Description("A materialization job as it progresses: its state now, then every change (status, entities written), "
            + "ending after it SUCCEEDED or FAILED")
    public Multi<MaterializationJob> materializationProgress(@Description("Job id") @NonNull Long jobId) {
        // the caller's grants are checked on the job's group with every update, away from this (event-loop) thread
        io.quiver.security.Caller caller = access.caller();
        return progress.follow(jobId).onItem().invoke(job -> {
            try {
                access.check(caller, job.group(), GroupAction.READ);
            } catch (QuiverException e) {
                // asked by job id: the refusal does not name the group
                throw new QuiverException(ErrorCode.FORBIDDEN, "materialization job " + jobId + " loads a feature group you may not read; "
                        + "ask an admin for a grant on it");
            }
        }).onFailure().transform(e -> {
            io.quiver.error.QuiverException failure = io.quiver.error.Failures.classify(e);
            if (failure != e) {
                org.jboss.logging.Logger.getLogger(OnlineGraphQL.class).warnf(e, "following materialization job %d failed", jobId);
            }
            return new GraphQLFailure(failure, redaction);
        });
    }
}
