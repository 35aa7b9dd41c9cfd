package io.quiver.ingest;

import static io.quiver.support.Columnar.ARROW;
import static io.quiver.support.Columnar.PARQUET;
import static io.quiver.support.GraphQL.dataPrefix;
import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.Race;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/** The bulk write endpoint: Arrow IPC and Parquet bodies, validated whole, sorted into files in S3, committed once. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class BulkWriteTest {

    @Inject
    ObjectStore objects;

    @TempDir
    Path tmp;

    @TestHTTPResource("/")
    URI base;

    private String name;

    @BeforeEach
    void registerGroup() {
        String e = unique("cust");
        name = unique("bulk");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(
                with(feature("amount", "DOUBLE"), "nullable", false, "min", 0),
                with(feature("segment", "STRING"), "allowedValues", List.of("bronze", "gold"), "defaultValue", "bronze"),
                feature("age", "INT"),
                feature("price", "DECIMAL(10,2)"),
                feature("seen", "TIMESTAMP"),
                feature("tags", "ARRAY<STRING>")))));
    }

    private static ValidatableResponse post(String group, String contentType, byte[] body, String query) {
        return BulkRest.write(group, contentType, body, query);
    }

    private List<String> snapshotOperations() {
        return ok("query($g: String!) { snapshots(group: $g) { operation } }", Map.of("g", name)).getList("data.snapshots.operation");
    }

    private void assertNothingWritten() {
        assertThat(snapshotOperations()).isEmpty();
        assertThat(objects.list(dataPrefix(name))).isEmpty();
    }

    /** Rows in the group's current snapshot, file by file in snapshot order, as text. */
    private List<List<Map<String, String>>> storedFiles() {
        JsonPath s = ok("query($g: String!) { snapshots(group: $g) { files { key } } }", Map.of("g", name));
        List<List<Map<String, String>>> out = new ArrayList<>();
        int i = 0;
        for (String key : s.<String>getList("data.snapshots[0].files.key")) {
            Path file = tmp.resolve("f" + i++ + ".parquet");
            objects.download(key, file);
            out.add(Columnar.query("SELECT * FROM read_parquet('" + file + "')"));
        }
        return out;
    }

    @Test
    void anArrowUploadIsSortedIntoFilesInS3AndCommittedAsOneSnapshot() {
        // 10,000 rows in shuffled order, in record batches of 1,000; files hold at most 4,096 rows in tests.
        byte[] body = Columnar.arrow("SELECT (i % 997)::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' + to_seconds(i) AS event_timestamp, "
                + "i * 0.5 AS amount, CASE WHEN i % 2 = 0 THEN 'gold' END AS segment, (i % 100)::INTEGER AS age, "
                + "CAST(i AS DECIMAL(10,2)) AS price, TIMESTAMPTZ '2025-06-01 12:00:00.000001' AS seen, ['x', 'y'] AS tags "
                + "FROM range(10000) t(i) ORDER BY hash(i)");

        JsonPath result = post(name, ARROW, body, null).statusCode(200).extract().jsonPath();

        assertThat(result.getLong("rowsWritten")).isEqualTo(10_000);
        assertThat(result.getString("snapshot.operation")).isEqualTo("APPEND");
        List<List<Map<String, String>>> files = storedFiles();
        assertThat(files).hasSize(3);
        assertThat(files.stream().mapToInt(List::size).sum()).isEqualTo(10_000);
        List<Map<String, String>> all = files.stream().flatMap(List::stream).toList();
        for (int i = 1; i < all.size(); i++) {
            long prev = Long.parseLong(all.get(i - 1).get("customer_id"));
            long cur = Long.parseLong(all.get(i).get("customer_id"));
            assertThat(cur > prev || cur == prev && all.get(i).get("event_timestamp").compareTo(all.get(i - 1).get("event_timestamp")) >= 0)
                    .as("row %d follows row %d in (customer_id, event_timestamp) order across files", i, i - 1).isTrue();
        }
        Map<String, String> first = all.get(0);
        assertThat(first).containsEntry("customer_id", "0").containsEntry("event_timestamp", "2026-01-01 00:00:00+00")
                .containsEntry("amount", "0.0").containsEntry("segment", "gold").containsEntry("age", "0")
                .containsEntry("price", "0.00").containsEntry("seen", "2025-06-01 12:00:00.000001+00").containsEntry("tags", "[x, y]");
        // a null segment took its default
        assertThat(all.stream().filter(r -> r.get("customer_id").equals("1")).findFirst().orElseThrow()).containsEntry("segment", "bronze");
    }

    /**
     * Clients that try HTTP/2 on a plain port (curl --http2, the JDK's HttpClient by default) send an h2c upgrade
     * request. A streamed body on it must arrive whole: curl's upload (chunked, after 100-continue) lost its body to
     * the protocol switch and got a 400 for a valid stream. The server answers such requests in HTTP/1.1.
     */
    @Test
    void aStreamedUploadOfferingAnHttp2UpgradeArrivesWhole() throws Exception {
        byte[] body = Columnar.arrow("SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' + to_seconds(i) AS event_timestamp, "
                + "i * 0.5 AS amount FROM range(5000) t(i)");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(("POST /api/v1/groups/" + name + "/data HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + ARROW + "\r\n"
                    + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n"
                    + "Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(statusLine(in)).isEqualTo("HTTP/1.1 100 Continue");
            while (!statusLine(in).isEmpty()) {
                // rest of the interim answer
            }
            for (int at = 0; at < body.length; at += 8192) {
                int n = Math.min(8192, body.length - at);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, at, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(statusLine(in)).isEqualTo("HTTP/1.1 200 OK");
        }
        assertThat(ok("query($g: String!) { snapshots(group: $g) { rowCount } }", Map.of("g", name)).getLong("data.snapshots[0].rowCount"))
                .isEqualTo(5000);
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the connection closed after: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    void aParquetUploadWidensTypesSafelyAndReadsNaiveTimestampsAsUtc() {
        byte[] body = Columnar.parquet("SELECT 7::INTEGER AS customer_id, TIMESTAMP '2026-02-01 10:30:00' AS event_timestamp, "
                + "12::INTEGER AS amount, 40::BIGINT AS age, 12.5::DOUBLE AS price, DATE '2026-01-31' AS seen");

        post(name, PARQUET, body, null).statusCode(200);

        Map<String, String> row = storedFiles().get(0).get(0);
        assertThat(row).containsEntry("customer_id", "7").containsEntry("event_timestamp", "2026-02-01 10:30:00+00")
                .containsEntry("amount", "12.0").containsEntry("age", "40").containsEntry("price", "12.50")
                .containsEntry("seen", "2026-01-31 00:00:00+00").containsEntry("segment", "bronze");
        assertThat(row.get("tags")).isNull();
    }

    @Test
    void everyViolationIsListedByRowAndColumnAndNothingIsWritten() {
        byte[] body = Columnar.arrow("SELECT * FROM (VALUES "
                + "(1::BIGINT, TIMESTAMPTZ '2026-01-01', 1.0, 'gold', 5000000000::BIGINT, 1.5::DOUBLE, 'blue'), "
                + "(NULL, TIMESTAMPTZ '2026-01-01', 2.0, 'silver', 1, 12.345, 'red'), "
                + "(3, NULL, -1.0, NULL, 2, 3.0, 'red')) "
                + "t(customer_id, event_timestamp, amount, segment, age, price, colour)");

        JsonPath problem = post(name, ARROW, body, null).statusCode(400).contentType("application/problem+json").extract().jsonPath();

        assertThat(problem.getString("code")).isEqualTo("SCHEMA_VALIDATION_FAILED");
        List<String> found = problem.getList("violations").stream()
                .map(v -> ((Map<?, ?>) v).get("path") + " " + ((Map<?, ?>) v).get("rule")).toList();
        assertThat(found).containsExactly(
                "columns.colour UNKNOWN_COLUMN",
                "rows[0].age TYPE",
                "rows[1].customer_id MISSING_KEY",
                "rows[1].segment NOT_ALLOWED",
                "rows[1].price TYPE",
                "rows[2].event_timestamp MISSING_TIMESTAMP",
                "rows[2].amount OUT_OF_RANGE");
        assertThat(problem.getString("detail")).contains("7 violations");
        assertThat(problem.getString("violations[1].message")).contains("5000000000").contains("INT");
        assertNothingWritten();
    }

    @Test
    void aBatchWithThousandsOfViolationsListsTheFirstHundredAndCountsThemAll() {
        byte[] body = Columnar.arrow("SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, "
                + "CAST(NULL AS DOUBLE) AS amount FROM range(2500) t(i)");

        JsonPath problem = post(name, ARROW, body, null).statusCode(400).extract().jsonPath();

        assertThat(problem.getList("violations")).hasSize(100);
        assertThat(problem.getString("violations[0].path")).isEqualTo("rows[0].amount");
        assertThat(problem.getString("violations[99].path")).isEqualTo("rows[99].amount");
        assertThat(problem.getString("detail")).contains("2500 violations");
        assertNothingWritten();
    }

    @Test
    void badBodiesGetClearErrorsAndLeaveNoTrace() {
        byte[] good = Columnar.arrow("SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, i * 1.0 AS amount "
                + "FROM range(5000) t(i)", 500);

        // truncated in the middle of a record batch
        String truncated = post(name, ARROW, Arrays.copyOf(good, good.length / 2), null).statusCode(400).extract().jsonPath().getString("detail");
        assertThat(truncated).contains("ends inside a record batch");
        // not Arrow at all
        String garbage = post(name, ARROW, "customer_id,amount\n1,2\n".repeat(50).getBytes(), null).statusCode(400)
                .extract().jsonPath().getString("detail");
        assertThat(garbage).contains("is not an Arrow IPC stream");
        assertThat(post(name, PARQUET, "not parquet".getBytes(), null).statusCode(400).extract().jsonPath().getString("detail"))
                .contains("is not a valid Parquet file");
        assertThat(post(name, ARROW, new byte[0], null).statusCode(400).extract().jsonPath().getString("code")).isEqualTo("INVALID_ARGUMENT");
        // a media type the endpoint does not take names the ones it does
        assertThat(post(name, "text/csv", good, null).statusCode(415).extract().jsonPath().getString("detail"))
                .contains("application/vnd.apache.arrow.stream");
        // missing timestamp column, wrong column type
        JsonPath missing = post(name, ARROW, Columnar.arrow("SELECT 1::BIGINT AS customer_id, 'x' AS amount"), null).statusCode(400)
                .extract().jsonPath();
        assertThat(missing.getList("violations.path")).containsExactly("columns.event_timestamp", "columns.amount");
        assertThat(missing.getList("violations.rule")).containsExactly("MISSING_TIMESTAMP", "TYPE");
        assertThat(missing.getString("violations[1].message")).contains("VARCHAR").contains("text is not parsed").doesNotContain("Exception");
        assertThat(post(name, ARROW, good, "mode=SIDEWAYS").statusCode(400).extract().jsonPath().getString("detail"))
                .contains("APPEND or OVERWRITE");
        assertNothingWritten();

        JsonPath unknown = post("no_such_group_here", ARROW, good, null).statusCode(404).extract().jsonPath();
        assertThat(unknown.getString("code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");

        // and the group still takes a good upload afterwards
        post(name, ARROW, good, null).statusCode(200);
        assertThat(snapshotOperations()).containsExactly("APPEND");
    }

    @Test
    void nonFiniteNumbersAndMalformedParametersAreRefused() {
        byte[] nan = Columnar.arrow("SELECT * FROM (VALUES (1::BIGINT, TIMESTAMPTZ '2026-01-01', 'NaN'::DOUBLE), "
                + "(2, TIMESTAMPTZ '2026-01-01', 'Infinity'::DOUBLE)) t(customer_id, event_timestamp, amount)");
        JsonPath problem = post(name, ARROW, nan, null).statusCode(400).extract().jsonPath();
        assertThat(problem.getList("violations.path")).containsExactly("rows[0].amount", "rows[1].amount");
        assertThat(problem.getString("violations[0].message")).contains("not a finite number");
        assertThat(post(name, ARROW, nan, "version=abc").statusCode(400).extract().jsonPath().getString("detail"))
                .contains("version must be a positive whole number");
        assertNothingWritten();
    }

    @Test
    void ofTwoEqualRowsInOneUploadTheLaterOneWins() {
        byte[] body = Columnar.arrow("SELECT 5::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, i * 1.0 AS amount "
                + "FROM range(1, 2001) t(i)", 100);
        post(name, ARROW, body, null).statusCode(200);
        JsonPath h = ok("query($f: [String!]!, $rows: [JSON!]!) { historicalFeatures(features: $f, entityRows: $rows) }",
                Map.of("f", List.of(name + ".amount"), "rows", List.of(Map.of("customer_id", 5, "event_timestamp", "2026-02-01T00:00:00Z"))));
        assertThat(h.getFloat("data.historicalFeatures[0].amount")).isEqualTo(2000f);
    }

    @Test
    void overwriteAndBackfillReplaceWhatTheySay() {
        String rows = "SELECT i::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' + to_days(i::INTEGER) AS event_timestamp, i * 1.0 AS amount FROM range(10) t(i)";
        post(name, ARROW, Columnar.arrow(rows), null).statusCode(200);
        // backfill days 3..5 (exclusive end) with one row
        byte[] patch = Columnar.arrow("SELECT 100::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-05' AS event_timestamp, 99.0 AS amount");
        JsonPath backfill = post(name, ARROW, patch, "backfillStart=2026-01-04T00:00:00Z&backfillEnd=2026-01-06T00:00:00Z")
                .statusCode(200).extract().jsonPath();
        assertThat(backfill.getString("snapshot.operation")).isEqualTo("BACKFILL");
        assertThat(backfill.getLong("snapshot.rowCount")).isEqualTo(9);
        List<String> ids = storedFiles().stream().flatMap(List::stream).map(r -> r.get("customer_id")).sorted().toList();
        assertThat(ids).containsExactlyInAnyOrder("0", "1", "2", "5", "6", "7", "8", "9", "100");

        // a backfill row outside its range is a violation
        assertThat(post(name, ARROW, patch, "backfillStart=2026-02-01T00:00:00Z&backfillEnd=2026-03-01T00:00:00Z").statusCode(400)
                .extract().jsonPath().getString("violations[0].rule")).isEqualTo("OUTSIDE_BACKFILL_RANGE");

        JsonPath overwrite = post(name, PARQUET, Columnar.parquet(rows + " LIMIT 2"), "mode=OVERWRITE").statusCode(200).extract().jsonPath();
        assertThat(overwrite.getString("snapshot.operation")).isEqualTo("OVERWRITE");
        assertThat(overwrite.getLong("snapshot.rowCount")).isEqualTo(2);
    }

    @Test
    void concurrentBulkAppendsAllLand() throws Exception {
        List<Callable<Integer>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            byte[] body = Columnar.arrow("SELECT (i + " + (w * 10_000) + ")::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS event_timestamp, "
                    + "1.0 AS amount FROM range(5000) t(i)");
            writers.add(() -> post(name, ARROW, body, null).extract().statusCode());
        }
        assertThat(Race.run(writers)).containsOnly(200);
        JsonPath s = ok("query($g: String!) { snapshots(group: $g) { rowCount } }", Map.of("g", name));
        assertThat(s.getList("data.snapshots.rowCount", Long.class)).hasSize(4).first().isEqualTo(20_000L);
    }
}
