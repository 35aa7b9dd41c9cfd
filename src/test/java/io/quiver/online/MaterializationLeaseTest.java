package io.quiver.online;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.SlowS3Resource;
import io.restassured.path.json.JsonPath;

/**
 * A materialization job holds its group's lease for as long as it runs, whatever it is doing: here it spends several
 * lease lengths downloading from a slow object store, and a second run still finds the group taken.
 */
@QuarkusTest
@TestProfile(MaterializationLeaseTest.ShortLease.class)
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SlowS3Resource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class MaterializationLeaseTest {

    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quiver.online.job-lease", "PT1S");
        }
    }

    private static final String JOB = "{ id status error }";

    @AfterEach
    void fast() {
        SlowS3Resource.proxy.slow(Duration.ZERO);
    }

    @Test
    void aJobKeepsItsLeaseWhileItDownloadsForLongerThanTheLease() throws Exception {
        String entity = unique("user");
        String name = unique("lease");
        register(List.of(entity(entity, "user_id", "BIGINT")), List.of(with(group(name, entity, List.of(feature("score", "DOUBLE"))),
                "onlineEnabled", false)));
        OnlineServingTest.write(name, List.of(OnlineServingTest.row("user_id", 1, "event_timestamp", "2026-01-01T00:00:00Z", "score", 1.0)));
        register(List.of(entity(entity, "user_id", "BIGINT")), List.of(with(group(name, entity, List.of(feature("score", "DOUBLE"))),
                "onlineEnabled", true)));

        SlowS3Resource.proxy.slow(Duration.ofMillis(4_000)); // every answer chunk: the download alone outlasts the lease four times
        JsonPath first = ok("mutation($g: String!) { materializeIncremental(group: $g, wait: false) " + JOB + " }", Map.of("g", name));
        long firstId = first.getLong("data.materializeIncremental.id");
        String running = "query($g: String!) { materializationJobs(group: $g) { id status } }";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!ok(running, Map.of("g", name)).getList("data.materializationJobs.status").contains("RUNNING")) {
            assertThat(System.nanoTime()).as("the first job started").isLessThan(deadline);
            Thread.sleep(50);
        }
        Thread.sleep(2_500); // two and a half leases into the download, without any load progress

        JsonPath second = ok("mutation($g: String!) { materializeIncremental(group: $g, wait: true) " + JOB + " }", Map.of("g", name));
        assertThat(second.getString("data.materializeIncremental.status")).isEqualTo("FAILED");
        assertThat(second.getString("data.materializeIncremental.error"))
                .contains("another materialization of " + name).contains("(job " + firstId + ")");

        SlowS3Resource.proxy.slow(Duration.ZERO);
        String status = "query($g: String!) { materializationJobs(group: $g) { id status error } }";
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonPath jobs;
        while (true) {
            jobs = ok(status, Map.of("g", name));
            int i = jobs.<Long>getList("data.materializationJobs.id", Long.class).indexOf(firstId);
            String s = jobs.getString("data.materializationJobs[" + i + "].status");
            if (!s.equals("RUNNING") && !s.equals("QUEUED")) {
                assertThat(s).as(jobs.prettify()).isEqualTo("SUCCEEDED");
                break;
            }
            assertThat(System.nanoTime()).as("the first job ended").isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
