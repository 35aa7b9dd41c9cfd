package io.quiver.virtual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.Layer;
import io.quiver.registry.model.SourceColumn;
import io.quiver.registry.model.SourceFormat;
import io.quiver.registry.model.TemplateParameter;
import io.quiver.registry.model.TemplateSql;

/**
 * What every query executor must do ({@code query_executor_type}): describe a template's output without reading a
 * file, report what a template may not do, compute a read's rows filtered, cast and sorted, bind every value, answer
 * virtual table queries, stop a query at its time limit, and read nothing outside the files it is given.
 */
abstract class QueryExecutorContract {

    /** The executor under test, with a short query timeout ({@link #queryTimeout()}). */
    abstract QueryExecutor executor();

    /** The executor's query timeout: a second for DuckDB, more for an engine whose first query of a session is slow. */
    abstract Duration queryTimeout();

    /** A directory the executor may read inputs from. */
    abstract Path inputs();

    /** A directory the executor may write results to. */
    abstract Path outputs();

    /** The setting a timed-out query's error names. */
    abstract String timeoutSetting();

    /** A pattern of the executor's plan showing a filter {@code customer_id = 42} applied in the file scan. */
    abstract String entityFilterInScan();

    static final DataSource TX = new DataSource(1, "tx", Layer.SILVER, "lake/tx/", SourceFormat.PARQUET, List.of(),
            List.of(new SourceColumn("customer_id", "BIGINT", false), new SourceColumn("ts", "TIMESTAMP WITH TIME ZONE", false),
                    new SourceColumn("amount", "DOUBLE", false), new SourceColumn("label", "VARCHAR", false)),
            1, 1, 1000, "v1", Instant.EPOCH, Instant.EPOCH);

    /** 1,000 rows: customers 0..99, ten each, one per day from 2026-01-01, amount = customer + day / 10. */
    Path lakeFile() throws Exception {
        Path file = inputs().resolve("tx-" + System.nanoTime() + ".parquet");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            s.execute("COPY (SELECT i // 10 AS customer_id, TIMESTAMPTZ '2026-01-01 00:00:00+00' + to_days(CAST(i % 10 AS INTEGER)) AS ts, "
                    + "i // 10 + (i % 10) / 10.0 AS amount, 'c' || (i // 10) AS label FROM range(1000) t(i) ORDER BY customer_id) TO '"
                    + file + "' (FORMAT PARQUET, ROW_GROUP_SIZE 100)");
        }
        return file;
    }

    QueryExecutor.Query query(String template, List<Path> files, List<TemplateParameter> params, Map<String, String> values) {
        return new QueryExecutor.Query(TemplateSql.parse(template), Map.of("silver.tx", new QueryExecutor.SourceInput(TX, files)), params, values);
    }

    static final List<QueryExecutor.Column> LAYOUT = List.of(new QueryExecutor.Column("customer_id", "BIGINT"),
            new QueryExecutor.Column("ts", "TIMESTAMPTZ"), new QueryExecutor.Column("amount", "DOUBLE"));

    List<List<Object>> rows(Path parquet) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT customer_id, CAST(ts AS VARCHAR), amount FROM read_parquet('" + parquet + "')")) {
            while (r.next()) {
                out.add(List.of(r.getLong(1), r.getString(2), r.getDouble(3)));
            }
        }
        return out;
    }

    @Test
    void describesTheOutputColumnsWithoutReadingAFile() {
        QueryExecutor.Description d = executor().describe(query("SELECT customer_id, ts, amount * 2 AS double_amount, count(*) OVER () AS n "
                + "FROM {{silver.tx}} WHERE amount > :min", List.of(), List.of(new TemplateParameter("min", "DOUBLE", "0")), Map.of("min", "0")));
        assertThat(d.problems()).isEmpty();
        assertThat(d.columns()).extracting(SourceColumn::name).containsExactly("customer_id", "ts", "double_amount", "n");
        assertThat(d.columns()).extracting(SourceColumn::type).containsExactly("BIGINT", "TIMESTAMP WITH TIME ZONE", "DOUBLE", "BIGINT");
    }

    @Test
    void reportsWhatATemplateMayNotDo() {
        for (String escape : List.of(
                "SELECT * FROM read_csv('/etc/passwd') CROSS JOIN {{silver.tx}}",
                "SELECT * FROM {{silver.tx}}, read_parquet('" + inputs() + "/*.parquet')",
                "SELECT getenv('HOME') AS h, * FROM {{silver.tx}}",
                "SELECT current_setting('allowed_directories') AS s, * FROM {{silver.tx}}",
                "SELECT * FROM {{silver.tx}}, duckdb_settings()",
                "SELECT * FROM {{silver.tx}}, glob('/etc/*')",
                "SELECT * FROM {{silver.tx}} JOIN information_schema.tables ON true",
                "SELECT * FROM {{silver.tx}} JOIN some_table USING (customer_id)",
                "SELECT * FROM {{silver.tx}}, sqlite_scan('x.db', 't')",
                "INSERT INTO t SELECT * FROM {{silver.tx}}",
                "WITH x AS (SELECT * FROM read_json_auto('/etc/hosts')) SELECT * FROM x, {{silver.tx}}")) {
            assertThat(executor().describe(query(escape, List.of(), List.of(), Map.of())).problems()).as(escape).isNotEmpty();
        }
        assertThat(executor().describe(query("WITH recent AS (SELECT * FROM {{silver.tx}}) SELECT * FROM recent, range(3)", List.of(),
                List.of(), Map.of())).problems()).isEmpty();
    }

    @Test
    void aReadKeepsItsEntitiesAndTimesCastAndSorted() throws Exception {
        Path target = outputs().resolve("slice-" + System.nanoTime() + ".parquet");
        long n = executor().slice(query("SELECT customer_id, ts, amount FROM {{silver.tx}} WHERE amount >= :min", List.of(lakeFile()),
                List.of(new TemplateParameter("min", "DOUBLE", "0")), Map.of("min", "3.5")),
                new QueryExecutor.Shape(LAYOUT, List.of("customer_id"), List.of(List.of(7L), List.of(3L)), "ts",
                        Instant.parse("2026-01-03T00:00:00Z"), Instant.parse("2026-01-05T00:00:00Z"), List.of("customer_id", "ts")), target);
        // customer 3 reaches 3.5 only on 2026-01-06, past the range; customer 7 in the range: days 3 to 5
        assertThat(n).isEqualTo(3);
        assertThat(rows(target)).containsExactly(List.of(7L, "2026-01-03 00:00:00+00", 7.2), List.of(7L, "2026-01-04 00:00:00+00", 7.3),
                List.of(7L, "2026-01-05 00:00:00+00", 7.4));
    }

    @Test
    void valuesAreBoundNeverSpliced() throws Exception {
        Path target = outputs().resolve("slice-" + System.nanoTime() + ".parquet");
        List<QueryExecutor.Column> layout = List.of(new QueryExecutor.Column("label", "VARCHAR"), new QueryExecutor.Column("ts", "TIMESTAMPTZ"));
        long n = executor().slice(query("SELECT label, ts FROM {{silver.tx}} WHERE label <> :skip", List.of(lakeFile()),
                List.of(new TemplateParameter("skip", "STRING", "x")), Map.of("skip", "x' OR '1'='1")),
                new QueryExecutor.Shape(layout, List.of("label"), List.of(List.of("c1' OR '1'='1")), "ts", null, null, List.of("label")), target);
        assertThat(n).isZero();
    }

    @Test
    void aVirtualTableQueryFiltersSortsAndLimits() throws Exception {
        Path target = outputs().resolve("table-" + System.nanoTime() + ".parquet");
        long n = executor().select(query("SELECT * FROM {{silver.tx}}", List.of(lakeFile()), List.of(), Map.of()),
                new QueryExecutor.Selection(LAYOUT, List.of(new QueryExecutor.Predicate("customer_id", "BIGINT", QueryExecutor.Operator.IN,
                        List.of("4", "5")), new QueryExecutor.Predicate("amount", "DOUBLE", QueryExecutor.Operator.GT, List.of("4.85"))),
                        List.of(new QueryExecutor.Order("amount", true)), 3), target);
        assertThat(n).isEqualTo(3);
        assertThat(rows(target)).extracting(r -> r.get(2)).containsExactly(5.9, 5.8, 5.7);
    }

    @Test
    void aQueryPastItsTimeLimitIsStopped() throws Exception {
        Path target = outputs().resolve("slow-" + System.nanoTime() + ".parquet");
        long started = System.nanoTime();
        assertThatThrownBy(() -> executor().slice(query("SELECT a.customer_id, a.ts, sum(b.amount * c.n) AS amount FROM {{silver.tx}} a, "
                + "{{silver.tx}} b, range(100000) AS c(n) GROUP BY ALL", List.of(lakeFile()), List.of(), Map.of()),
                new QueryExecutor.Shape(LAYOUT, List.of("customer_id"), null, "ts", null, null, List.of()), target))
                .isInstanceOfSatisfying(QuiverException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VIRTUALIZATION_QUERY_FAILED);
                    assertThat(e.getMessage()).contains(timeoutSetting());
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(queryTimeout().plusSeconds(25));
    }

    @Test
    void nothingOutsideItsInputsCanBeRead() {
        DataSource passwd = new DataSource(2, "p", Layer.BRONZE, "x/", SourceFormat.CSV, List.of(),
                List.of(new SourceColumn("line", "VARCHAR", false)), 1, 1, 1, "v", Instant.EPOCH, Instant.EPOCH);
        QueryExecutor.Query q = new QueryExecutor.Query(TemplateSql.parse("SELECT line AS customer_id, line AS ts, line AS amount FROM {{bronze.p}}"),
                Map.of("bronze.p", new QueryExecutor.SourceInput(passwd, List.of(Path.of("/etc/passwd")))), List.of(), Map.of());
        assertThatThrownBy(() -> executor().slice(q, new QueryExecutor.Shape(List.of(new QueryExecutor.Column("customer_id", "VARCHAR")),
                List.of("customer_id"), null, "ts", null, null, List.of()), outputs().resolve("no.parquet")))
                .isInstanceOfSatisfying(QuiverException.class, e -> assertThat(e.code()).as(e.getMessage() + " " + e.getCause()).isEqualTo(ErrorCode.VIRTUALIZATION_QUERY_FAILED));
    }

    @Test
    void theEntityFilterReachesTheFileScan() throws Exception {
        String plan = executor().explain(query("SELECT customer_id, ts, amount FROM {{silver.tx}}", List.of(lakeFile()), List.of(), Map.of()),
                new QueryExecutor.Shape(LAYOUT, List.of("customer_id"), List.of(List.of(42L)), "ts", null, null, List.of()), true);
        assertThat(plan).containsPattern(entityFilterInScan());
    }
}
