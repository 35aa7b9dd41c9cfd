package io.quiver.online;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.registerFailing;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.RegistryCatalog;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.GraphQLSubscription;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** Materialization from the offline store into Redis: ranges, incremental runs, the lease, schedules, progress. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class MaterializationTest {

    private static final String JOB = "id kind trigger start end status rowsRead entities snapshotId error durationMs engine engineReason";
    private static final String MATERIALIZE = "mutation($g: String!, $s: DateTime!, $e: DateTime!, $w: Boolean) { materialize(group: $g, start: $s, end: $e, wait: $w) { "
            + JOB + " } }";
    private static final String INCREMENTAL = "mutation($g: String!) { materializeIncremental(group: $g, wait: true) { " + JOB + " } }";
    private static final String READ = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { columns { name values statuses } } }";

    @TestHTTPResource("/graphql")
    URI graphql;

    @Inject
    MaterializationJobs jobs;

    @Inject
    RegistryCatalog catalog;

    @Inject
    MaterializationScheduler scheduler;

    private String entity;
    private String name;

    @BeforeEach
    void registerOfflineOnly() {
        entity = unique("user");
        name = unique("mat");
        setOnline(false);
    }

    private void setOnline(boolean online) {
        register(List.of(entity(entity, "user_id", "BIGINT")), List.of(with(group(name, entity, List.of(feature("score", "DOUBLE"))),
                "onlineEnabled", online)));
    }

    private List<Float> scores(long... ids) {
        List<Map<String, Object>> entities = new ArrayList<>();
        for (long id : ids) {
            entities.add(Map.of("user_id", id));
        }
        return ok(READ, Map.of("f", List.of(name + ".score"), "e", entities)).getList("data.onlineFeatures.columns[1].values", Float.class);
    }

    private static Map<String, Object> vars(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aRangeLoadsTheLatestRowPerEntityWithinItAndIsRecorded() {
        // entity 1: rows on days 1, 2 and 5; entity 2: day 6 only
        OnlineServingTest.write(name, List.of(
                OnlineServingTest.row("user_id", 1, "event_timestamp", "2026-01-01T00:00:00Z", "score", 1.0),
                OnlineServingTest.row("user_id", 1, "event_timestamp", "2026-01-02T00:00:00Z", "score", 2.0),
                OnlineServingTest.row("user_id", 1, "event_timestamp", "2026-01-05T00:00:00Z", "score", 5.0),
                OnlineServingTest.row("user_id", 2, "event_timestamp", "2026-01-06T00:00:00Z", "score", 6.0)));
        setOnline(true);
        assertThat(scores(1, 2)).containsOnlyNulls(); // nothing online yet: the writes happened offline-only

        JsonPath job = ok(MATERIALIZE, vars("g", name, "s", "2026-01-01T00:00:00Z", "e", "2026-01-04T00:00:00Z", "w", true));

        assertThat(job.getString("data.materialize.status")).isEqualTo("SUCCEEDED");
        assertThat(job.getString("data.materialize.kind")).isEqualTo("RANGE");
        assertThat(job.getString("data.materialize.trigger")).isEqualTo("MANUAL");
        assertThat(job.getLong("data.materialize.entities")).isEqualTo(1);
        assertThat(job.getLong("data.materialize.rowsRead")).isEqualTo(4);
        assertThat(job.getLong("data.materialize.durationMs")).isNotNegative();
        assertThat(scores(1, 2)).containsExactly(2.0f, null); // day 2 is the latest before the range's end
        assertThat(ok("query($g: String!) { materializationJobs(group: $g) { id status } }", vars("g", name))
                .getList("data.materializationJobs.status")).containsExactly("SUCCEEDED");

        JsonPath bad = failing(MATERIALIZE, vars("g", name, "s", "2026-01-04T00:00:00Z", "e", "2026-01-01T00:00:00Z", "w", true));
        assertThat(bad.getString("errors[0].message")).contains("start before end");
    }

    @Test
    void incrementalRunsContinueFromWhereTheLastOneEnded() {
        OnlineServingTest.write(name, List.of(OnlineServingTest.row("user_id", 1, "event_timestamp", "2026-01-01T00:00:00Z", "score", 1.0)));
        setOnline(true);
        // an explicit range, even one reaching into the future, does not move where incremental runs continue
        ok(MATERIALIZE, vars("g", name, "s", "2030-01-01T00:00:00Z", "e", "2031-01-01T00:00:00Z", "w", true));

        JsonPath first = ok(INCREMENTAL, vars("g", name));
        assertThat(first.getString("data.materializeIncremental.status")).isEqualTo("SUCCEEDED");
        assertThat(first.getString("data.materializeIncremental.start")).isNull();
        assertThat(first.getLong("data.materializeIncremental.entities")).isEqualTo(1);
        Instant firstEnd = Instant.parse(first.getString("data.materializeIncremental.end"));

        setOnline(false); // a write now reaches the offline store only
        Instant later = Instant.now().truncatedTo(ChronoUnit.MICROS).plusMillis(5);
        while (!Instant.now().isAfter(later)) {
            Thread.onSpinWait();
        }
        OnlineServingTest.write(name, List.of(OnlineServingTest.row("user_id", 2, "event_timestamp", later.toString(), "score", 2.0)));
        setOnline(true);

        JsonPath second = ok(INCREMENTAL, vars("g", name));
        assertThat(Instant.parse(second.getString("data.materializeIncremental.start"))).isEqualTo(firstEnd);
        assertThat(second.getLong("data.materializeIncremental.entities")).isEqualTo(1);
        assertThat(scores(1, 2)).containsExactly(1.0f, 2.0f);
    }

    @Test
    void aJobEndedAsAbandonedKeepsThatEndWhenItsReplicaReportsLateAndALapsedLeaseCannotBeRenewed() {
        setOnline(true);
        FeatureGroup g = catalog.group(name, 0).group();
        MaterializationJob job = jobs.create(g, MaterializationJob.Kind.INCREMENTAL, MaterializationJob.Trigger.MANUAL, null,
                java.time.Instant.now(), "late");
        assertThat(jobs.acquire(g.id(), job.id(), Duration.ofMillis(1))).isEmpty();
        jobs.started(job.id(), null, 0, null, "DUCKDB", "test");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (jobs.failAbandoned(Duration.ofMinutes(10)) == 0) { // the 1 ms lease lapses: the reaper ends the job
            assertThat(System.nanoTime()).isLessThan(deadline);
        }
        // another job takes the lapsed lease; the first one's renewal finds it gone
        assertThat(jobs.acquire(g.id(), job.id() + 1_000_000, Duration.ofMinutes(1))).isEmpty();
        try {
            assertThat(jobs.renew(g.id(), job.id(), Duration.ofMinutes(1))).isFalse();
            assertThat(jobs.renew(g.id(), job.id() + 1_000_000, Duration.ofMinutes(1))).isTrue();
        } finally {
            jobs.release(g.id(), job.id() + 1_000_000);
        }
        assertThat(jobs.finished(job.id(), MaterializationJob.Status.SUCCEEDED, 5, null, null)).isFalse();
        MaterializationJob ended = jobs.get(job.id()).orElseThrow();
        assertThat(ended.status()).isEqualTo(MaterializationJob.Status.FAILED);
        assertThat(ended.error()).contains("abandoned");
    }

    @Test
    void oneRunAtATimePerGroupAcrossReplicas() {
        setOnline(true);
        long groupId = catalog.group(name, 0).group().id();
        // another replica's running job holds the lease
        assertThat(jobs.acquire(groupId, 987_654_321L, Duration.ofMinutes(1))).isEmpty();
        try {
            JsonPath blocked = ok(INCREMENTAL, vars("g", name));
            assertThat(blocked.getString("data.materializeIncremental.status")).isEqualTo("FAILED");
            assertThat(blocked.getString("data.materializeIncremental.error")).contains("another materialization").contains("987654321");
        } finally {
            jobs.release(groupId, 987_654_321L);
        }
        assertThat(ok(INCREMENTAL, vars("g", name)).getString("data.materializeIncremental.status")).isEqualTo("SUCCEEDED");
        assertThat(failing(INCREMENTAL, vars("g", "no_such_group_m")).getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");
    }

    @Test
    void aGroupsScheduleRunsIncrementalMaterializationsUntilItIsRemoved() throws Exception {
        JsonPath badCron = registerFailing(List.of(entity(entity, "user_id", "BIGINT")), List.of(with(group(name, entity,
                List.of(feature("score", "DOUBLE"))), "materializationSchedule", "every minute")));
        assertThat(badCron.getList("errors[0].extensions.violations.rule")).contains("CRON");

        register(List.of(entity(entity, "user_id", "BIGINT")), List.of(with(group(name, entity, List.of(feature("score", "DOUBLE"))),
                "materializationSchedule", "0/1 * * * * ?")));
        assertThat(scheduler.scheduled()).containsKey("quiver-materialize:" + name);

        List<Object> triggers = List.of();
        for (int i = 0; i < 100 && triggers.isEmpty(); i++) {
            TimeUnit.MILLISECONDS.sleep(100);
            triggers = ok("query($g: String!) { materializationJobs(group: $g, status: SUCCEEDED) { trigger } }", vars("g", name))
                    .getList("data.materializationJobs.trigger");
        }
        assertThat(triggers).isNotEmpty().containsOnly("SCHEDULE");

        register(List.of(entity(entity, "user_id", "BIGINT")), List.of(group(name, entity, List.of(feature("score", "DOUBLE")))));
        assertThat(scheduler.scheduled()).doesNotContainKey("quiver-materialize:" + name);
    }

    @Test
    void anIncrementalRunStartedWithoutWaitingRunsInTheBackground() throws Exception {
        setOnline(true);
        BulkRest.write(name, Columnar.ARROW, Columnar.arrow("SELECT 7::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, "
                + "1.5 AS score", 10), null).statusCode(200);
        long id = ok("mutation($g: String!) { materializeIncremental(group: $g, wait: false) { id } }", vars("g", name))
                .getLong("data.materializeIncremental.id");
        List<JsonNode> updates = subscribe("subscription { materializationProgress(jobId: " + id + ") { status error } }");
        JsonNode last = updates.get(updates.size() - 1).path("data").path("materializationProgress");
        assertThat(last.path("status").asText()).as("job %d: %s", id, last.path("error").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aSubscriptionStreamsAJobUntilItEnds() throws Exception {
        String rows = "SELECT i::BIGINT AS user_id, TIMESTAMPTZ '2026-01-01' + to_seconds(i) AS event_timestamp, i * 0.5 AS score "
                + "FROM range(50000) t(i)";
        BulkRest.write(name, Columnar.ARROW, Columnar.arrow(rows, 10_000), null).statusCode(200);
        setOnline(true);
        JsonPath queued = ok(MATERIALIZE, vars("g", name, "s", "2025-01-01T00:00:00Z", "e", "2027-01-01T00:00:00Z", "w", false));
        long id = queued.getLong("data.materialize.id");

        List<JsonNode> updates = subscribe("subscription { materializationProgress(jobId: " + id + ") { status entities } }");

        assertThat(updates).isNotEmpty();
        List<String> statuses = updates.stream().map(u -> u.path("data").path("materializationProgress").path("status").asText()).toList();
        assertThat(statuses.get(statuses.size() - 1)).isEqualTo("SUCCEEDED");
        assertThat(statuses).allMatch(s -> List.of("QUEUED", "RUNNING", "SUCCEEDED").contains(s));
        assertThat(updates.get(updates.size() - 1).path("data").path("materializationProgress").path("entities").asLong()).isEqualTo(50_000);
        assertThat(scores(0, 49_999)).containsExactly(0.0f, 24999.5f);
    }

    private List<JsonNode> subscribe(String query) throws Exception {
        return GraphQLSubscription.collect(graphql, query);
    }
}
