package io.quiver.ingest;

import static io.quiver.support.GraphQL.dataPrefix;
import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.columnar.UploadSlots;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.Hostile;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import jakarta.inject.Inject;

/**
 * Bodies that claim more than they hold, or hold what DuckDB must never read: every declared size is checked before
 * anything is allocated, every buffer before DuckDB sees it. Each gets a 400 saying what was wrong, nothing is
 * written, and the service stays up. Too many uploads at once get 503 with Retry-After.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class MalformedUploadTest {

    @Inject
    ObjectStore objects;

    @Inject
    io.quiver.config.QuiverConfig config;

    @Inject
    UploadSlots slots;

    @TestHTTPResource("/")
    URI base;

    private String name;

    @BeforeEach
    void registerGroup() {
        String e = unique("cust");
        name = unique("hostile");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("name", "STRING")))));
    }

    private String write(byte[] body) {
        return BulkRest.write(name, Columnar.ARROW, body, null).statusCode(400).extract().jsonPath().getString("detail");
    }

    private void assertNothingWrittenAndUp() {
        assertThat(ok("query($g: String!) { snapshots(group: $g) { id } }", Map.of("g", name)).getList("data.snapshots")).isEmpty();
        assertThat(objects.list(dataPrefix(name))).isEmpty();
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aTinyBodyClaimingAHugeMessageIsRefusedBeforeAnythingIsAllocated() {
        byte[] body = Hostile.hugeFirstMessage();
        assertThat(body).hasSize(108);
        assertThat(write(body)).contains("declares 2147483632 bytes of metadata").contains("quiver.ingest.max-arrow-metadata-bytes");
        assertThat(BulkRest.historical(Columnar.ARROW, null, body, "features=" + name + ".name").statusCode(400).extract().jsonPath()
                .getString("detail")).contains("declares 2147483632 bytes of metadata");
        assertNothingWrittenAndUp();
    }

    @Test
    void batchesWhoseBuffersDoNotHoldWhatTheyDeclareNeverReachTheQueryEngine() {
        assertThat(write(Hostile.offsetsGoingBack())).contains("column 'name' does not hold what it declares").contains("go back");
        assertThat(write(Hostile.offsetsPastTheData())).contains("column 'name' does not hold what it declares").contains("past the end");
        assertThat(write(Hostile.dictionaryIndexPastTheDictionary())).contains("column 'name'").contains("dictionary entry 99 of 3");
        assertNothingWrittenAndUp();
        // the same stream uncorrupted goes through
        BulkRest.write(name, Columnar.ARROW, Hostile.withNames(100, v -> { }), null).statusCode(200);
    }

    @Test
    void timestampsBeyondTheYears1To9999AreRefusedWithoutBreakingTheQueryEngine() {
        byte[] body = Hostile.secondsTimestampsFarOutOfRange();
        var refused = BulkRest.write(name, Columnar.ARROW, body, null).statusCode(400).extract().jsonPath();
        assertThat(refused.getString("code")).isEqualTo("SCHEMA_VALIDATION_FAILED");
        assertThat(refused.getList("violations.path")).containsExactly("rows[3].event_timestamp");
        assertThat(BulkRest.historical(Columnar.ARROW, null, body, "features=" + name + ".name").statusCode(400).extract().jsonPath()
                .getList("violations.rule")).containsExactly("OUT_OF_RANGE");
        assertNothingWrittenAndUp();
        // the engine still works: a plain write and a training set afterwards
        BulkRest.write(name, Columnar.ARROW, Hostile.withNames(10, v -> { }), null).statusCode(200);
        BulkRest.historical(Columnar.ARROW, null, Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-02-01' AS event_timestamp"),
                "features=" + name + ".name").statusCode(200);
    }

    @Test
    void aParquetFooterThatClaimsMoreThanTheFileIsRefused() {
        byte[] good = Columnar.parquet("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, 'x' AS name");
        byte[] lying = Hostile.withInt(good, good.length - 8, 0x7FFFFFFF);
        assertThat(BulkRest.write(name, Columnar.PARQUET, lying, null).statusCode(400).extract().jsonPath().getString("detail"))
                .contains("footer claims 2147483647 bytes");
        assertThat(BulkRest.write(name, Columnar.PARQUET, java.util.Arrays.copyOf(good, 30), null).statusCode(400).extract()
                .jsonPath().getString("detail")).contains("not a valid Parquet file");
        assertNothingWrittenAndUp();
    }

    @Test
    void uploadsBeyondTheConcurrencyCapGet503WithRetryAfter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        // HTTP/1.1: in its default (HTTP/2) mode the JDK client holds back a request whose streamed body has not ended
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < config.ingest().maxConcurrentUploads(); i++) {
            held.add(client.sendAsync(upload(new BlockingBody(release)), HttpResponse.BodyHandlers.ofString()));
        }
        try {
            // the held uploads must all hold a slot before the probe is sent: a probe that arrives first takes a slot
            // for a moment and one held upload is refused in its place, leaving a slot free for every later probe
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (slots.inUse() < config.ingest().maxConcurrentUploads() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(slots.inUse()).as("held uploads holding a slot; held %s", held.stream()
                    .map(f -> f.isDone() ? String.valueOf(f.getNow(null).statusCode()) : "running").toList())
                    .isEqualTo(config.ingest().maxConcurrentUploads());
            HttpResponse<String> refused = client.send(upload(InputStream.nullInputStream()), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as("an upload beyond the cap is refused: %s", refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("SERVICE_BUSY").contains("quiver.ingest.max-concurrent-uploads");
        } finally {
            release.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(400); // they end, as empty bodies
        }
        // the slots are free again
        BulkRest.write(name, Columnar.ARROW, Hostile.withNames(3, v -> { }), null).statusCode(200);
    }

    private HttpRequest upload(InputStream body) {
        return HttpRequest.newBuilder(base.resolve("api/v1/groups/" + name + "/data")).header("Content-Type", Columnar.ARROW)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
    }

    /** A body that sends its first bytes (the start of an Arrow stream), then nothing until released, then ends. */
    private static final class BlockingBody extends InputStream {
        private final CountDownLatch release;
        private int sent;

        BlockingBody(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            if (sent < 4) {
                sent++;
                return 0xFF;
            }
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }
}
