package io.quiver.offline;

import static io.quiver.support.GraphQL.dataPrefix;
import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** The GraphQL write path end to end: validation, Parquet in S3 (S3Proxy), snapshot commits. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class OfflineWriteTest {

    private static final String WRITE = """
            mutation($g: String!, $rows: [JSON!]!, $mode: WriteMode) {
              write(group: $g, rows: $rows, mode: $mode) {
                rowsWritten snapshot { id parentId operation rowCount minEventTime maxEventTime files { key rows bytes } }
              }
            }""";

    @Inject
    ObjectStore objects;

    @TempDir
    Path tmp;

    private String name;

    @BeforeEach
    void registerGroup() {
        String e = unique("cust");
        name = unique("wr");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(with(group(name, e, List.of(
                feature("amount", "DECIMAL(20,4)"),
                with(feature("segment", "STRING"), "allowedValues", List.of("bronze", "gold"), "defaultValue", "bronze"),
                feature("seen", "TIMESTAMP"),
                feature("born", "DATE"),
                feature("active", "BOOLEAN"),
                feature("vec", "ARRAY<FLOAT>"),
                feature("spend", "MAP<STRING,DOUBLE>"),
                feature("addr", "STRUCT<city:STRING,zip:INT>"))), "createdTimestampColumn", "created")));
    }

    private JsonPath write(List<Map<String, Object>> rows, String mode) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("g", name);
        vars.put("rows", rows);
        vars.put("mode", mode);
        return ok(WRITE, vars);
    }

    private static Map<String, Object> row(long id, String ts, Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("customer_id", id);
        m.put("event_timestamp", ts);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void aWriteBecomesOneSortedZstdParquetFileWithExactValues() throws Exception {
        JsonPath result = write(List.of(
                row(2, "2026-01-02T00:00:00Z", "amount", "12345678901234.5678", "active", true),
                row(1, "2026-01-03T10:00:00.123456+02:00", "segment", "gold", "seen", "2026-01-01T00:00:00.000001Z",
                        "born", "1990-05-01", "vec", List.of(1, 2.5), "spend", Map.of("food", 10.25),
                        "addr", Map.of("city", "Lyon", "zip", 69001), "created", "2026-01-04T00:00:00Z"),
                row(1, "2026-01-01T00:00:00Z")), null);

        assertThat(result.getInt("data.write.rowsWritten")).isEqualTo(3);
        assertThat(result.getString("data.write.snapshot.operation")).isEqualTo("APPEND");
        assertThat(result.getInt("data.write.snapshot.rowCount")).isEqualTo(3);
        assertThat(result.getString("data.write.snapshot.minEventTime")).startsWith("2026-01-01T00:00");
        assertThat(result.getString("data.write.snapshot.maxEventTime")).startsWith("2026-01-03T08:00:00.123456");
        String key = result.getString("data.write.snapshot.files[0].key");
        assertThat(key).startsWith(dataPrefix(name)).endsWith(".parquet");
        assertThat(objects.stat(key).orElseThrow().size()).isEqualTo(result.getLong("data.write.snapshot.files[0].bytes"));

        Path file = tmp.resolve("f.parquet");
        objects.download(key, file);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            List<String> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT customer_id, strftime(event_timestamp, '%Y-%m-%dT%H:%M:%S.%f'), "
                    + "CAST(amount AS VARCHAR), segment, strftime(seen, '%Y-%m-%dT%H:%M:%S.%f'), CAST(born AS VARCHAR), "
                    + "active, CAST(vec AS VARCHAR), CAST(spend AS VARCHAR), CAST(addr AS VARCHAR), created IS NULL "
                    + "FROM read_parquet('" + file + "')")) {
                while (r.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= 11; i++) {
                        b.append(r.getString(i)).append('|');
                    }
                    rows.add(b.toString());
                }
            }
            assertThat(rows).containsExactly(
                    "1|2026-01-01T00:00:00.000000|null|bronze|null|null|null|null|null|null|true|",
                    "1|2026-01-03T08:00:00.123456|null|gold|2026-01-01T00:00:00.000001|1990-05-01|null|[1.0, 2.5]|{food=10.25}|{'city': Lyon, 'zip': 69001}|false|",
                    "2|2026-01-02T00:00:00.000000|12345678901234.5678|bronze|null|null|true|null|null|null|true|");
            try (ResultSet r = s.executeQuery("SELECT DISTINCT compression FROM parquet_metadata('" + file + "')")) {
                r.next();
                assertThat(r.getString(1)).isEqualToIgnoringCase("ZSTD");
            }
            try (ResultSet r = s.executeQuery("SELECT name, logical_type FROM parquet_schema('" + file + "') WHERE name IN ('event_timestamp', 'amount')")) {
                Map<String, String> types = new HashMap<>();
                while (r.next()) {
                    types.put(r.getString(1), r.getString(2));
                }
                assertThat(types.get("event_timestamp")).contains("isAdjustedToUTC=1").contains("MICROS");
                assertThat(types.get("amount")).contains("scale=4").contains("precision=20");
            }
        }
    }

    @Test
    void appendAddsFilesAndOverwriteReplacesThem() {
        write(List.of(row(1, "2026-01-01T00:00:00Z")), "APPEND");
        JsonPath second = write(List.of(row(2, "2026-01-01T00:00:00Z"), row(3, "2026-01-01T00:00:00Z")), "APPEND");
        assertThat(second.getList("data.write.snapshot.files")).hasSize(2);
        assertThat(second.getInt("data.write.snapshot.rowCount")).isEqualTo(3);

        JsonPath third = write(List.of(row(4, "2026-02-01T00:00:00Z")), "OVERWRITE");
        assertThat(third.getString("data.write.snapshot.operation")).isEqualTo("OVERWRITE");
        assertThat(third.getList("data.write.snapshot.files")).hasSize(1);
        assertThat(third.getInt("data.write.snapshot.rowCount")).isEqualTo(1);
        assertThat(third.getLong("data.write.snapshot.parentId")).isEqualTo(second.getLong("data.write.snapshot.id"));

        JsonPath history = ok("query($g: String!) { snapshots(group: $g) { operation rowCount } }", Map.of("g", name));
        assertThat(history.getList("data.snapshots.operation")).containsExactly("OVERWRITE", "APPEND", "APPEND");
        assertThat(history.getList("data.snapshots.rowCount")).containsExactly(1, 3, 1);
    }

    @Test
    void backfillReplacesExactlyItsRange() {
        // Two appends: customers 1 and 2 on days 1..5.
        List<Map<String, Object>> first = new ArrayList<>();
        List<Map<String, Object>> second = new ArrayList<>();
        for (int day = 1; day <= 5; day++) {
            first.add(row(1, "2026-01-0" + day + "T00:00:00Z", "amount", String.valueOf(day)));
            second.add(row(2, "2026-01-0" + day + "T00:00:00Z", "amount", String.valueOf(10 * day)));
        }
        write(first, "APPEND");
        write(second, "APPEND");

        // Replace [day 2, day 4): only customer 1 gets new rows there; customer 2's rows in the range disappear.
        Map<String, Object> vars = new HashMap<>();
        vars.put("g", name);
        vars.put("rows", List.of(row(1, "2026-01-02T00:00:00Z", "amount", "200"), row(1, "2026-01-03T12:00:00Z", "amount", "300")));
        vars.put("b", Map.of("start", "2026-01-02T00:00:00Z", "end", "2026-01-04T00:00:00Z"));
        JsonPath result = ok("mutation($g: String!, $rows: [JSON!]!, $b: BackfillInput) { write(group: $g, rows: $rows, backfill: $b) "
                + "{ rowsWritten snapshot { operation rowCount files { rows } } } }", vars);
        assertThat(result.getString("data.write.snapshot.operation")).isEqualTo("BACKFILL");
        assertThat(result.getInt("data.write.snapshot.rowCount")).isEqualTo(5 + 5 - 4 + 2);

        Map<String, Object> q = new HashMap<>();
        q.put("f", List.of(name + ".amount"));
        List<Map<String, Object>> entityRows = new ArrayList<>();
        for (String t : List.of("2026-01-01T12:00:00Z", "2026-01-02T12:00:00Z", "2026-01-03T13:00:00Z", "2026-01-04T12:00:00Z")) {
            entityRows.add(Map.of("customer_id", 1, "event_timestamp", t));
            entityRows.add(Map.of("customer_id", 2, "event_timestamp", t));
        }
        q.put("rows", entityRows);
        String body = io.quiver.support.GraphQL.post("query($f: [String!]!, $rows: [JSON!]!) { historicalFeatures(features: $f, entityRows: $rows) }", q)
                .extract().asString();
        JsonPath json = new JsonPath(body);
        assertThat(json.getList("data.historicalFeatures.amount").stream().map(String::valueOf).toList())
                // day 1: untouched; day 2: c1 new 200, c2 falls back to day 1; day 3 13:00: c1 300, c2 still day 1; day 4: untouched
                .containsExactly("1.0", "10.0", "200.0", "10.0", "300.0", "10.0", "4.0", "40.0");

        vars.put("rows", List.of(row(1, "2026-01-05T00:00:00Z", "amount", "1")));
        JsonPath outside = failing("mutation($g: String!, $rows: [JSON!]!, $b: BackfillInput) { write(group: $g, rows: $rows, backfill: $b) { rowsWritten } }", vars);
        assertThat(outside.getString("errors[0].extensions.violations[0].rule")).isEqualTo("OUTSIDE_BACKFILL_RANGE");
    }

    @Test
    void refreshFeaturesComputesStatisticsShownOnTheGroup() {
        String refresh = "mutation($g: String!) { refreshFeatures(group: $g) { snapshotId rowCount features { name nullCount min max } } }";
        JsonPath empty = ok(refresh, Map.of("g", name));
        assertThat(empty.getInt("data.refreshFeatures.rowCount")).isZero();
        assertThat(empty.getString("data.refreshFeatures.snapshotId")).isNull();

        write(List.of(row(1, "2026-01-01T00:00:00Z", "amount", "2.5", "segment", "gold"),
                row(2, "2026-01-02T00:00:00Z", "amount", "-7.25"),
                row(3, "2026-01-03T00:00:00Z", "vec", List.of(1.0))), null);
        JsonPath stats = ok(refresh, Map.of("g", name));
        assertThat(stats.getInt("data.refreshFeatures.rowCount")).isEqualTo(3);
        Map<String, Map<String, Object>> byName = new HashMap<>();
        List<Map<String, Object>> features = stats.getList("data.refreshFeatures.features");
        features.forEach(f -> byName.put((String) f.get("name"), f));
        assertThat(byName.get("amount")).containsEntry("nullCount", 1).containsEntry("min", "-7.2500").containsEntry("max", "2.5000");
        assertThat(byName.get("segment")).containsEntry("nullCount", 0).containsEntry("min", "bronze").containsEntry("max", "gold");
        assertThat(byName.get("vec")).containsEntry("nullCount", 2).containsEntry("min", null);

        JsonPath onGroup = ok("query($g: String!) { featureGroup(name: $g) { statistics { rowCount features { name } } } }", Map.of("g", name));
        assertThat(onGroup.getInt("data.featureGroup.statistics.rowCount")).isEqualTo(3);
        assertThat(onGroup.getList("data.featureGroup.statistics.features.name")).hasSize(8);
    }

    @Test
    void aBadBatchIsRejectedWholeAndLeavesNoTrace() {
        write(List.of(row(1, "2026-01-01T00:00:00Z")), null);
        List<ObjectInfo> before = objects.list(dataPrefix(name));

        Map<String, Object> vars = new HashMap<>();
        vars.put("g", name);
        vars.put("rows", List.of(
                row(1, "2026-01-02T00:00:00Z"),
                row(2, "not a time", "amount", "abc"),
                Map.of("event_timestamp", "2026-01-01T00:00:00Z", "segment", "platinum", "colour", "red")));
        JsonPath json = failing(WRITE, vars);

        assertThat(json.getString("errors[0].extensions.code")).isEqualTo("SCHEMA_VALIDATION_FAILED");
        List<Map<String, String>> violations = json.getList("errors[0].extensions.violations");
        assertThat(violations).extracting(v -> v.get("path") + " " + v.get("rule")).containsExactlyInAnyOrder(
                "rows[1].event_timestamp TYPE", "rows[1].amount TYPE", "rows[2].colour UNKNOWN_COLUMN",
                "rows[2].customer_id MISSING_KEY", "rows[2].segment NOT_ALLOWED");
        assertThat(objects.list(dataPrefix(name))).isEqualTo(before);
        assertThat(ok("query($g: String!) { snapshots(group: $g) { id } }", Map.of("g", name)).getList("data.snapshots")).hasSize(1);
    }

    @Test
    void concurrentAppendsAllLand() throws Exception {
        int writers = 5;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<JsonPath>> futures = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                long id = i;
                futures.add(pool.submit(() -> write(List.of(row(id, "2026-01-01T00:00:00Z"), row(id, "2026-01-02T00:00:00Z")), "APPEND")));
            }
            for (Future<JsonPath> f : futures) {
                assertThat(f.get(120, TimeUnit.SECONDS).getInt("data.write.rowsWritten")).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonPath head = ok("query($g: String!) { snapshots(group: $g) { rowCount files { key } } }", Map.of("g", name));
        assertThat(head.getInt("data.snapshots[0].rowCount")).isEqualTo(2 * writers);
        assertThat(head.getList("data.snapshots[0].files")).hasSize(writers);
        assertThat(head.getList("data.snapshots")).hasSize(writers);
        assertThat(objects.list(dataPrefix(name))).hasSize(writers);
    }

    @Test
    void tooManyRowsUnknownGroupsAndOfflineDisabledGroupsAreRefused() {
        Map<String, Object> vars = new HashMap<>();
        vars.put("g", name);
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 10_001; i++) {
            many.add(Map.of());
        }
        vars.put("rows", many);
        JsonPath tooMany = failing(WRITE, vars);
        assertThat(tooMany.getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
        assertThat(tooMany.getString("errors[0].message")).contains("at most 10000 rows").contains("POST /api/v1/groups/" + name + "/data");

        vars.put("g", "never_registered_w");
        vars.put("rows", List.of(row(1, "2026-01-01T00:00:00Z")));
        assertThat(failing(WRITE, vars).getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");

        String e = unique("cust");
        String online = unique("online_only");
        register(List.of(entity(e, "customer_id", "BIGINT")),
                List.of(with(group(online, e, List.of(feature("x", "INT"))), "offlineEnabled", false)));
        vars.put("g", online);
        JsonPath disabled = failing(WRITE, vars);
        assertThat(disabled.getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
        assertThat(disabled.getString("errors[0].message")).contains("offlineEnabled: false");
    }
}
