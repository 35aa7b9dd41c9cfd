package io.quiver.offline;

import static io.quiver.support.GraphQL.dataPrefix;
import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.FaultyProxy;
import io.quiver.support.ProxiedPostgresResource;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * The registry connection is cut in the middle of a commit, by a proxy in front of the real PostgreSQL: once after
 * PostgreSQL committed (the answer is lost, so the service cannot know from the connection) and once before the
 * COMMIT reached it. The write finds out which happened before it cleans anything up: a commit that landed is
 * reported as written with every file kept; one that did not is reported as failed and leaves no file behind.
 */
@QuarkusTest
@WithTestResource(value = ProxiedPostgresResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CommitOutcomeTest {

    private static final String WRITE = """
            mutation($g: String!, $rows: [JSON!]!) {
              write(group: $g, rows: $rows) { rowsWritten snapshot { id commitId files { key bytes } } }
            }""";

    @Inject
    ObjectStore objects;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    private String name;

    @BeforeEach
    void registerGroup() {
        assertThat(url).contains(":" + ProxiedPostgresResource.proxy.port() + "/");
        String e = unique("cust");
        name = unique("outcome");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("v", "INT")))));
    }

    private static Map<String, Object> row(int id) {
        return Map.of("customer_id", id, "event_timestamp", "2026-01-01T00:00:00Z", "v", id);
    }

    private List<String> snapshotCommitIds() {
        return ok("query($g: String!) { snapshots(group: $g) { commitId } }", Map.of("g", name)).getList("data.snapshots.commitId");
    }

    @Test
    void aCommitWhoseAnswerIsLostIsFoundToHaveLandedAndIsReportedAsWritten() {
        int cuts = ProxiedPostgresResource.proxy.cuts();
        ProxiedPostgresResource.proxy.arm("insert into qv_snapshot", FaultyProxy.Cut.AFTER_COMMIT);

        JsonPath written = ok(WRITE, Map.of("g", name, "rows", List.of(row(1), row(2))));

        assertThat(ProxiedPostgresResource.proxy.cuts()).isEqualTo(cuts + 1);
        assertThat(written.getInt("data.write.rowsWritten")).isEqualTo(2);
        assertThat(snapshotCommitIds()).containsExactly(written.getString("data.write.snapshot.commitId"));
        String key = written.getString("data.write.snapshot.files[0].key");
        assertThat(objects.stat(key)).map(ObjectInfo::size).contains(written.getLong("data.write.snapshot.files[0].bytes"));
    }

    @Test
    void aCommitCutBeforeItReachedTheDatabaseFailsCleanlyAndLeavesNoFile() {
        int cuts = ProxiedPostgresResource.proxy.cuts();
        ProxiedPostgresResource.proxy.arm("insert into qv_snapshot", FaultyProxy.Cut.BEFORE_COMMIT);

        JsonPath failed = failing(WRITE, Map.of("g", name, "rows", List.of(row(1))));

        assertThat(ProxiedPostgresResource.proxy.cuts()).isEqualTo(cuts + 1);
        assertThat(failed.getString("errors[0].extensions.code")).isEqualTo("FEATURE_REGISTRY_UNAVAILABLE");
        assertThat(failed.getString("errors[0].message")).contains("nothing was committed");
        assertThat(snapshotCommitIds()).isEmpty();
        assertThat(objects.list(dataPrefix(name))).isEmpty();
        // and the next write goes through
        ok(WRITE, Map.of("g", name, "rows", List.of(row(3))));
        assertThat(snapshotCommitIds()).hasSize(1);
    }

    @Test
    void aBulkWriteOfSeveralFilesWhoseCommitAnswerIsLostLandsWhole() throws Exception {
        byte[] body = Columnar.parquet("SELECT i AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(i) AS event_timestamp, "
                + "CAST(i AS INTEGER) AS v FROM range(10000) t(i)");
        ProxiedPostgresResource.proxy.arm("insert into qv_snapshot", FaultyProxy.Cut.AFTER_COMMIT);

        JsonPath written = BulkRest.write(name, "application/vnd.apache.parquet", body, null).statusCode(200).extract().jsonPath();

        assertThat(written.getLong("rowsWritten")).isEqualTo(10000);
        assertThat(written.getLong("snapshot.fileCount")).isGreaterThan(1);
        JsonPath head = ok("query($g: String!) { snapshots(group: $g) { commitId rowCount files { key } } }", Map.of("g", name));
        assertThat(head.getString("data.snapshots[0].commitId")).isEqualTo(written.getString("snapshot.commitId"));
        assertThat(head.getLong("data.snapshots[0].rowCount")).isEqualTo(10000);
        List<String> keys = head.getList("data.snapshots[0].files.key");
        assertThat(objects.list(dataPrefix(name))).extracting(ObjectInfo::key).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void readinessIsDownWhileTheRegistryDatabaseIsUnreachableAndUpAfter() throws Exception {
        ProxiedPostgresResource.proxy.down(true);
        try {
            // no fallback for the registry: this replica cannot serve, so it leaves the load balancer
            io.restassured.response.Response ready = io.restassured.RestAssured.given().get("/q/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.jsonPath().getString("checks.find { it.name == 'registry' }.status")).isEqualTo("DOWN");
        } finally {
            ProxiedPostgresResource.proxy.down(false);
        }
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (io.restassured.RestAssured.given().get("/q/health/ready").statusCode() != 200) {
            assertThat(System.nanoTime()).as("ready again").isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
