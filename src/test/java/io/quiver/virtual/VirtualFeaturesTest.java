package io.quiver.virtual;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.registerFailing;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.RegistryCatalog;
import io.quiver.support.BulkRest;
import io.quiver.support.Columnar;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Virtual groups end to end, through GraphQL and REST, with lake files in the S3 server: data sources, templates
 * and their checks, online and point-in-time reads, virtual tables, pushdown, pruning and the result cache.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class VirtualFeaturesTest {

    static final String REGISTER_SOURCE = """
            mutation($s: DataSourceInput!) {
              registerDataSource(dataSource: $s) { name layer location format files bytes rowEstimate version
                columns { name type partition } options { key value } }
            }""";

    @Inject
    ObjectStore objects;

    @Inject
    VirtualReads reads;

    @Inject
    RegistryCatalog catalog;

    private String lake;
    private String source;
    private String entity;

    /** Transactions of customers 1..20: ten each, day d of January 2026 at noon, amount = customer * 10 + d. */
    static String transactions(int days, int firstDay) {
        return "SELECT c AS customer_id, 't' || c || '-' || d AS transaction_id, TIMESTAMPTZ '2026-01-01 12:00:00+00' + to_days(CAST(d AS INTEGER)) "
                + "AS ts, CAST(c * 10 + d AS DOUBLE) AS amount, CASE WHEN d % 2 = 0 THEN 'even' ELSE 'odd' END AS kind "
                + "FROM range(1, 21) a(c), range(" + firstDay + ", " + (firstDay + days) + ") b(d) ORDER BY customer_id, ts";
    }

    @BeforeEach
    void lakeAndSource() {
        lake = "lake/" + unique("tx") + "/";
        source = unique("tx");
        entity = unique("cust");
        for (int day = 0; day < 10; day++) { // one partition per event date, as timePartition declares
            objects.put(lake + String.format("date=2026-01-%02d/part.parquet", day + 1), Columnar.parquet(transactions(1, day)));
        }
        ok(REGISTER_SOURCE, Map.of("s", Map.of("name", source, "layer", "SILVER", "location", lake, "format", "PARQUET",
                "options", List.of(Map.of("key", "timePartition", "value", "date")))));
        register(List.of(entity(entity, "customer_id", "BIGINT")), List.of());
    }

    private Map<String, Object> virtualGroup(String name, String template) {
        Map<String, Object> g = with(group(name, entity, List.of(feature("amount", "DOUBLE"), feature("kind", "STRING"))),
                "mode", "VIRTUALIZED", "eventTimestampColumn", "ts", "queryTemplate", template);
        return g;
    }

    private String sourceRef() {
        return "{{silver." + source + "}}";
    }

    @Test
    void aDataSourceShowsItsDiscoveredSchemaSizeAndVersion() {
        JsonPath s = ok("query($n: String!) { dataSource(name: $n) { name layer files bytes rowEstimate version columns { name type partition } } }",
                Map.of("n", source));
        assertThat(s.getInt("data.dataSource.files")).isEqualTo(10);
        assertThat(s.getLong("data.dataSource.rowEstimate")).isBetween(150L, 250L); // 3 files sampled of 10 alike: about 200
        assertThat(s.<String>getList("data.dataSource.columns.name")).containsExactly("customer_id", "transaction_id", "ts", "amount", "kind", "date");
        assertThat(s.getString("data.dataSource.columns.find { it.name == 'date' }.partition")).isEqualTo("true");
        String version = s.getString("data.dataSource.version");

        objects.put(lake + "date=2026-01-11/part.parquet", Columnar.parquet(transactions(1, 10)));
        JsonPath refreshed = ok("mutation($n: String!) { refreshDataSource(name: $n) { files version rowEstimate } }", Map.of("n", source));
        assertThat(refreshed.getInt("data.refreshDataSource.files")).isEqualTo(11);
        assertThat(refreshed.getString("data.refreshDataSource.version")).isNotEqualTo(version);
    }

    @Test
    void badDataSourcesAreRefusedWithEveryProblemListed() {
        JsonPath bad = failing(REGISTER_SOURCE, Map.of("s", Map.of("name", "Bad Name", "layer", "SILVER", "location", "s3://bucket/x",
                "format", "PARQUET", "options", List.of(Map.of("key", "compression", "value", "x")))));
        assertThat(bad.<String>getList("errors[0].extensions.violations.collect { it.path + ' ' + it.rule }"))
                .containsExactlyInAnyOrder("name NAME_PATTERN", "location SOURCE_LOCATION", "options[0].key UNKNOWN_SETTING");
        JsonPath empty = failing(REGISTER_SOURCE, Map.of("s", Map.of("name", unique("none"), "layer", "GOLD", "location", "lake/nothing/here/",
                "format", "PARQUET")));
        assertThat(empty.getString("errors[0].extensions.violations[0].message")).contains("no PARQUET file");
        assertThat(empty.getString("errors[0].message")).doesNotContain("127.0.0.1");
    }

    @Test
    void aVirtualGroupServesOnlineReadsFromTheLake() {
        String g = unique("vgroup");
        register(List.of(), List.of(virtualGroup(g, "SELECT customer_id, ts, amount, kind FROM " + sourceRef())));
        JsonPath read = ok("query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { "
                + "columns { name values statuses } metadata { groups { source reason } } } }",
                Map.of("f", List.of(g + ".amount", g + ".kind"), "e", List.of(Map.of("customer_id", 3), Map.of("customer_id", 99))));
        assertThat(read.<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(39.0f, null);
        assertThat(read.<String>getList("data.onlineFeatures.columns[1].statuses")).containsExactly("PRESENT", "NOT_FOUND");
        assertThat(read.<String>getList("data.onlineFeatures.columns[2].values")).containsExactly("odd", null);
        assertThat(read.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("VIRTUAL");
        assertThat(ok("query($g: String!) { featureGroup(name: $g) { servedAs virtualTable queryTemplate { sources } } }", Map.of("g", g))
                .getString("data.featureGroup.servedAs")).isEqualTo("VIRTUALIZED");
    }

    @Test
    void pointInTimeReadsOfVirtualGroupsFollowTheSameRulesAsStoredOnes() {
        String g = unique("vpit");
        register(List.of(), List.of(with(virtualGroup(g, "SELECT customer_id, ts, amount, kind FROM " + sourceRef()), "ttlSeconds", 2 * 86400)));
        List<Map<String, Object>> rows = ok("query($f: [String!]!, $e: [JSON!]!) { historicalFeatures(features: $f, entityRows: $e) }",
                Map.of("f", List.of(g + ".amount"), "e", List.of(
                        Map.of("customer_id", 2, "event_timestamp", "2026-01-04T12:00:00Z"), // exactly day 3: 23
                        Map.of("customer_id", 2, "event_timestamp", "2026-01-04T11:59:59Z"), // day 2: 22
                        Map.of("customer_id", 2, "event_timestamp", "2026-01-20T00:00:00Z"), // past the TTL: null
                        Map.of("customer_id", 2, "event_timestamp", "2025-12-31T00:00:00Z")))) // before any row: null
                .getList("data.historicalFeatures");
        assertThat(rows).extracting(r -> r.get("amount")).containsExactly(23.0f, 22.0f, null, null);
    }

    @Test
    void aReadForOneDayListsOnlyThatDaysPartition() {
        String g = unique("vprune");
        register(List.of(), List.of(with(virtualGroup(g, "SELECT customer_id, ts, amount, kind FROM " + sourceRef()), "ttlSeconds", 3600)));
        List<Map<String, Object>> rows = ok("query($f: [String!]!, $e: [JSON!]!) { historicalFeatures(features: $f, entityRows: $e) }",
                Map.of("f", List.of(g + ".amount"), "e", List.of(Map.of("customer_id", 2, "event_timestamp", "2026-01-08T12:30:00Z"))))
                .getList("data.historicalFeatures");
        assertThat(rows.get(0).get("amount")).isEqualTo(27.0f);
        // the read spans 11:30 to 12:30 on 2026-01-08 (TTL one hour): only the partition of that day can matter
        VirtualReads.Prepared prepared = reads.prepare(catalog.group(g, 0), java.time.Instant.parse("2026-01-08T11:30:00Z"),
                java.time.Instant.parse("2026-01-08T12:30:00Z"));
        assertThat(prepared.inputs().values().iterator().next().files()).extracting(io.quiver.objectstore.ObjectInfo::key)
                .containsExactly(lake + "date=2026-01-08/part.parquet");
    }

    @Test
    void aChangeInTheLakeIsNeverServedStale() {
        String g = unique("vfresh");
        register(List.of(), List.of(virtualGroup(g, "SELECT customer_id, ts, amount, kind FROM " + sourceRef())));
        String read = "query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { columns { values } } }";
        Map<String, Object> vars = Map.of("f", List.of(g + ".amount"), "e", List.of(Map.of("customer_id", 5)));
        assertThat(ok(read, vars).<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(59.0f);
        assertThat(ok(read, vars).<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(59.0f); // cached
        objects.put(lake + "date=2026-01-11/part.parquet", Columnar.parquet(transactions(1, 10)));
        assertThat(ok(read, vars).<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(60.0f);
    }

    @Test
    void templatesAreCheckedAtRegistrationWithPreciseErrors() {
        Map<String, String> bad = new HashMap<>();
        bad.put("SELECT customer_id, ts, amount FROM " + sourceRef(), "TEMPLATE_COLUMN no column 'kind'");
        bad.put("SELECT customer_id, ts, kind AS amount, kind FROM " + sourceRef(), "TEMPLATE_COLUMN 'amount' is VARCHAR");
        bad.put("SELECT customer_id, ts, amount, kind FROM {{silver.nope}}", "UNKNOWN_SOURCE nope");
        bad.put("SELECT customer_id, ts, amount, kind FROM " + sourceRef() + " WHERE amount > :min", "TEMPLATE_PARAMETER :min");
        bad.put("SELECT customer_id, ts, amount, kind FROM " + sourceRef() + " -- x", "QUERY_TEMPLATE comments");
        bad.put("SELECT customer_id, ts, amount, kind FROM " + sourceRef() + "; DROP TABLE x", "QUERY_TEMPLATE one statement");
        bad.put("SELECT customer_id, ts, amount, kind FROM read_csv('/etc/passwd')", "QUERY_TEMPLATE reads no data source");
        bad.put("SELECT customer_id, ts, amount, kind FROM " + sourceRef() + ", read_parquet('/tmp/*.parquet')", "FORBIDDEN_SQL read_parquet");
        bad.put("SELECT customer_id, ts, amount, getenv('HOME') AS kind FROM " + sourceRef(), "FORBIDDEN_SQL getenv");
        bad.put("SELECT customer_id, ts, amount, kind FROM " + sourceRef() + " JOIN pg_catalog.pg_tables ON true", "FORBIDDEN_SQL not a data source");
        bad.put("SELECT customer_id, ts, amount, kind FROM " + sourceRef() + ", duckdb_settings()", "FORBIDDEN_SQL duckdb_settings");
        bad.put("SELECT customer_id, ts, amount, kind FROM " + sourceRef() + " WHERE", "QUERY_TEMPLATE does not parse");
        bad.put("COPY (SELECT 1 FROM " + sourceRef() + ") TO 'x.csv'", "QUERY_TEMPLATE single read-only SELECT");
        bad.put("ATTACH 'x.db' AS y; SELECT * FROM " + sourceRef(), "QUERY_TEMPLATE one statement");
        bad.put("SELECT * FROM " + sourceRef() + " UNION ALL SELECT * FROM sqlite_scan('x.db', 't')", "FORBIDDEN_SQL sqlite_scan");
        bad.forEach((template, expected) -> {
            String rule = expected.substring(0, expected.indexOf(' '));
            String text = expected.substring(expected.indexOf(' ') + 1);
            JsonPath json = registerFailing(List.of(), List.of(virtualGroup(unique("vbad"), template)));
            List<Map<String, Object>> violations = json.getList("errors[0].extensions.violations");
            assertThat(violations).as(template).isNotEmpty();
            assertThat(violations).as(template).anyMatch(v -> v.get("rule").equals(rule) && ((String) v.get("message")).contains(text));
            assertThat(json.getString("errors[0].message")).as(template).doesNotContain("/tmp/quiver");
        });
        JsonPath wrongMode = registerFailing(List.of(), List.of(with(virtualGroup(unique("vmat"), "SELECT * FROM " + sourceRef()), "mode", "MATERIALIZED")));
        assertThat(wrongMode.getString("errors[0].extensions.violations[0].message")).contains("set mode: VIRTUALIZED");
    }

    @Test
    void perFeatureExpressionsOverOneSourceAreATemplateToo() {
        String g = unique("vexpr");
        Map<String, Object> spec = with(group(g, entity, List.of(with(feature("amount", "DOUBLE"), "expression", "amount * 2"),
                feature("kind", "STRING"), with(feature("share", "DOUBLE"), "expression", "amount / SUM(amount) OVER (PARTITION BY customer_id)"))),
                "mode", "VIRTUALIZED", "eventTimestampColumn", "ts", "source", "silver." + source);
        register(List.of(), List.of(spec));
        JsonPath read = ok("query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { columns { values } } }",
                Map.of("f", List.of(g + ".amount", g + ".share"), "e", List.of(Map.of("customer_id", 1))));
        assertThat(read.<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(38.0f); // (10 + 9) * 2
        assertThat(((Number) read.<Object>getList("data.onlineFeatures.columns[2].values").get(0)).doubleValue()).isCloseTo(19.0 / 145.0,
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(ok("query($g: String!) { featureGroup(name: $g) { queryTemplate { sql source } } }", Map.of("g", g))
                .getString("data.featureGroup.queryTemplate.sql")).contains("(amount * 2) AS \"amount\"");
    }

    @Test
    void parametersAreBoundWithTheirDefaultsAndAChangedTemplateIsANewVersion() {
        String g = unique("vparam");
        String template = "SELECT customer_id, ts, amount, kind FROM " + sourceRef() + " WHERE kind = :kind";
        register(List.of(), List.of(with(virtualGroup(g, template), "parameters", List.of(Map.of("name", "kind", "type", "STRING",
                "defaultValue", "even")))));
        JsonPath read = ok("query($f: [String!]!, $e: [JSON!]!) { onlineFeatures(features: $f, entities: $e) { columns { values } } }",
                Map.of("f", List.of(g + ".amount"), "e", List.of(Map.of("customer_id", 4))));
        assertThat(read.<Object>getList("data.onlineFeatures.columns[1].values")).containsExactly(48.0f); // latest even day: 8
        JsonPath changed = register(List.of(), List.of(with(virtualGroup(g, template.replace("kind = :kind", "kind <> :kind")),
                "parameters", List.of(Map.of("name", "kind", "type", "STRING", "defaultValue", "even")))));
        assertThat(changed.getString("data.register.groups[0].action")).isEqualTo("NEW_VERSION");
    }

    @Test
    void aDataSourceAGroupReadsCannotBeDeleted() {
        String g = unique("vuse");
        register(List.of(), List.of(virtualGroup(g, "SELECT customer_id, ts, amount, kind FROM " + sourceRef())));
        JsonPath refused = failing("mutation($n: String!) { deleteDataSource(name: $n) }", Map.of("n", source));
        assertThat(refused.getString("errors[0].extensions.code")).isEqualTo("DATA_SOURCE_IN_USE");
        assertThat(refused.getString("errors[0].message")).contains(g + "@1");
        ok("mutation($g: String!) { deleteFeatureGroup(name: $g, force: true) { name } }", Map.of("g", g));
        assertThat(ok("mutation($n: String!) { deleteDataSource(name: $n) }", Map.of("n", source)).getBoolean("data.deleteDataSource")).isTrue();
        assertThat(failing("query($n: String!) { dataSource(name: $n) { name } }", Map.of("n", source)).getString("errors[0].extensions.code"))
                .isEqualTo("DATA_SOURCE_NOT_FOUND");
    }

    @Test
    void virtualGroupsStoreNothing() {
        String g = unique("vstore");
        register(List.of(), List.of(virtualGroup(g, "SELECT customer_id, ts, amount, kind FROM " + sourceRef())));
        JsonPath write = failing("mutation($g: String!, $r: [JSON!]!) { write(group: $g, rows: $r) { rowsWritten } }",
                Map.of("g", g, "r", List.of(Map.of("customer_id", 1, "ts", "2026-01-01T00:00:00Z", "amount", 1.0))));
        assertThat(write.getString("errors[0].message")).contains("VIRTUALIZED").contains("stores nothing");
        BulkRest.write(g, Columnar.ARROW, Columnar.arrow("SELECT 1::BIGINT AS customer_id, TIMESTAMPTZ '2026-01-01' AS ts, 1.0 AS amount, 'x' AS kind"),
                null).statusCode(400);
    }

    @Test
    void virtualTablesAnswerPredicatesColumnsOrderAndLimit() {
        String g = unique("vtable");
        register(List.of(), List.of(virtualGroup(g, "SELECT customer_id, ts, amount, kind FROM " + sourceRef())));
        String table = ok("query($g: String!) { featureGroup(name: $g) { virtualTable } }", Map.of("g", g)).getString("data.featureGroup.virtualTable");
        assertThat(table).isEqualTo("features_" + g);
        List<Map<String, Object>> rows = ok("""
                query($t: String!) { queryVirtualTable(table: $t, columns: ["customer_id", "amount"], limit: 3,
                  predicates: [{column: "customer_id", op: IN, values: [3, 4]}, {column: "kind", op: EQ, values: ["odd"]}],
                  orderBy: [{column: "amount", descending: true}]) }""", Map.of("t", table)).getList("data.queryVirtualTable");
        assertThat(rows).extracting(r -> ((Number) r.get("amount")).doubleValue()).containsExactly(49.0, 47.0, 45.0);
        assertThat(rows.get(0)).containsOnlyKeys("customer_id", "amount");

        JsonPath bad = failing("""
                query($t: String!) { queryVirtualTable(table: $t, columns: ["amont"], limit: 100000,
                  predicates: [{column: "customer_id", op: EQ, values: ["x"]}]) }""", Map.of("t", table));
        assertThat(bad.<String>getList("errors[0].extensions.violations.collect { it.path + ' ' + it.rule }")).as(bad.prettify())
                .containsExactlyInAnyOrder("columns[0] UNKNOWN_COLUMN", "predicates[0].values[0] VALUE_TYPE", "limit OUT_OF_RANGE");
        assertThat(bad.getString("errors[0].extensions.violations.find { it.rule == 'UNKNOWN_COLUMN' }.message")).contains("Did you mean amount?");

        byte[] arrow = given().contentType("application/json").accept(Columnar.ARROW)
                .body(Map.of("predicates", List.of(Map.of("column", "customer_id", "op", "EQ", "values", List.of(7))), "limit", 100))
                .post("/api/v1/virtual-tables/" + table + "/query").then().statusCode(200).extract().asByteArray();
        assertThat(Columnar.readArrow(arrow)).hasSize(10);
        byte[] parquet = given().contentType("application/json").accept(Columnar.PARQUET).body(Map.of("limit", 5))
                .post("/api/v1/virtual-tables/" + table + "/query").then().statusCode(200).extract().asByteArray();
        assertThat(Columnar.readParquet(parquet)).hasSize(5);
        given().contentType("application/json").body(Map.of()).post("/api/v1/virtual-tables/features_nope/query").then().statusCode(404);
    }

    @Test
    void oneEntitysReadReachesTheScanAndReadsAFractionOfTheRowGroups() {
        String key = "lake/" + unique("big") + "/data.parquet";
        // 200,000 rows sorted by customer, 100 row groups of 2,000
        objects.put(key, Columnar.parquet("SELECT i // 100 AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_seconds(i) AS ts, "
                + "i * 1.0 AS amount, 'k' AS kind FROM range(200000) t(i) ORDER BY customer_id", 2000));
        String big = unique("big");
        ok(REGISTER_SOURCE, Map.of("s", Map.of("name", big, "layer", "GOLD", "location", key.substring(0, key.lastIndexOf('/') + 1),
                "format", "PARQUET")));
        String g = unique("vbig");
        register(List.of(), List.of(virtualGroup(g, "SELECT customer_id, ts, amount, kind FROM {{gold." + big + "}}")));
        String plan = reads.explain(catalog.group(g, 0), List.of(List.of(777L)), null, null, true);
        assertThat(plan).containsPattern("customer_id\\s*=\\s*777"); // the filter sits in the scan
        java.util.regex.Matcher groups = java.util.regex.Pattern.compile("Row Groups Scanned: (\\d+) / (\\d+)").matcher(plan);
        assertThat(groups.find()).as(plan).isTrue();
        int scanned = Integer.parseInt(groups.group(1));
        int total = Integer.parseInt(groups.group(2));
        assertThat(total).as(plan).isGreaterThanOrEqualTo(50);
        assertThat(scanned).as(plan).isLessThanOrEqualTo(2); // one entity's rows are in one or two of them
    }
}
