package io.quiver.virtual;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.DataFrameReader;
import org.apache.spark.sql.connect.Dataset;
import org.apache.spark.sql.connect.SparkSession;
import org.apache.spark.sql.types.StructField;

import io.quiver.columnar.DuckDbTypes;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.offline.ExternalWrite;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.SourceColumn;
import io.quiver.registry.model.TemplateParameter;

/**
 * The Spark Connect executor ({@code query_executor_type = SPARK}): templates run on the Spark Connect server, over
 * views of the read's files that this executor makes (the template cannot name a path: {@code runSQLOnFiles} is off
 * and the checks below refuse Spark's reflection and file functions, before every run). Every value is a bound named
 * marker.
 * Templates are Quiver's SQL, the dialect DuckDB checks at registration; Spark runs those that both engines read the
 * same way, and {@link #describe} reports the rest. Results stream back to this service as Arrow batches (the Spark
 * Connect protocol) into the local sandbox's DuckDB ({@link SparkAnswers}), cast there to the stored types and written
 * as one Parquet file, so an answer's file is the same as the DuckDB executor's.
 * At most {@code quiver.spark.max-result-rows} rows come back.
 */
public class SparkQueryExecutor implements QueryExecutor {

    /** Spark functions that call Java code or reveal the files read; templates may not use them. */
    private static final Set<String> DENIED = Set.of("reflect", "java_method", "try_reflect", "input_file_name", "input_file_block_start",
            "input_file_block_length", "current_user", "session_user", "user");
    private static final String ALIAS = "__quiver_v";

    private final SparkEngine spark;
    private final VirtualEngine local;

    public SparkQueryExecutor(SparkEngine spark, VirtualEngine local) {
        this.spark = spark;
        this.local = local;
    }

    /** SQL with its bound values by marker name ({@code :p0}, ...: Spark binds positional markers in plan order, not text order). */
    private record Bound(String sql, Map<String, Object> values) {
    }

    /** Named parameter values; {@link #mark} adds one and gives its marker. */
    private static final class Params {
        final Map<String, Object> values = new LinkedHashMap<>();

        String mark(Object value) {
            String name = "p" + values.size();
            values.put(name, value);
            return ":" + name;
        }
    }

    @Override
    public Description describe(Query query) {
        List<String> problems = sandboxProblems(query);
        if (!problems.isEmpty()) {
            return new Description(List.of(), problems);
        }
        String empty = query.template().render(ref -> emptyRelation(query.sources().get(ref).source()),
                p -> "CAST(NULL AS " + parameterType(query, p) + ")", new ArrayList<>());
        try {
            List<SourceColumn> columns = spark.run(spark.config().queryTimeout(), "quiver.spark.query-timeout", s -> {
                List<SourceColumn> out = new ArrayList<>();
                for (StructField f : s.sql("SELECT * FROM (" + empty + ") AS " + ALIAS).schema().fields()) {
                    out.add(new SourceColumn(f.name(), SparkTypes.toDuckDb(f.dataType().sql()), false));
                }
                return out;
            });
            return new Description(columns, List.of());
        } catch (QuiverException e) {
            if (e.getMessage().contains("quiver.spark.url")) {
                throw e;
            }
            return new Description(List.of(), List.of("it does not run on Spark: " + SparkEngine.message(e.getCause() == null ? e : e.getCause())));
        }
    }

    @Override
    public long slice(Query query, Shape shape, Path target) {
        checkTemplate(query);
        checkInputs(query);
        return spark.run(spark.config().queryTimeout(), "quiver.spark.query-timeout", s -> withViews(s, query, views -> {
            Bound bound = sliceSql(query, shape, views);
            return write(s, bound, shape.columns(), shape.order().stream().map(o -> SparkAnswers.ALIAS + "." + quote(o)).toList(), target);
        }));
    }

    @Override
    public long select(Query query, Selection selection, Path target) {
        checkTemplate(query);
        checkInputs(query);
        return spark.run(spark.config().queryTimeout(), "quiver.spark.query-timeout", s -> withViews(s, query, views -> {
            Params values = new Params();
            String from = render(query, views, values);
            List<String> where = new ArrayList<>();
            for (Predicate p : selection.predicates()) {
                String c = ALIAS + "." + quote(p.column());
                String type = SparkTypes.toSpark(p.type());
                switch (p.op()) {
                    case IS_NULL, IS_NOT_NULL -> where.add(c + " " + p.op().sql);
                    case IN -> where.add(c + " IN (" + p.values().stream().map(v -> "CAST(" + values.mark(v) + " AS " + type + ")")
                            .collect(Collectors.joining(", ")) + ")");
                    default -> where.add(c + " " + p.op().sql + " CAST(" + values.mark(p.values().get(0)) + " AS " + type + ")");
                }
            }
            List<String> order = selection.order().stream()
                    .map(o -> SparkAnswers.ALIAS + "." + quote(o.column()) + (o.descending() ? " DESC" : " ASC") + " NULLS LAST").toList();
            String sql = "SELECT * FROM (" + from + ") AS " + ALIAS + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where));
            return write(s, new Bound(sql, values.values), selection.columns(), order, target, Math.max(0, selection.limit()), true);
        }));
    }

    /**
     * Runs the whole read on Spark and has Spark write its rows as data files into the directory at {@code location}
     * (which must not exist): the shape's columns cast to their types, sorted by its order, zstd, at most
     * {@code fileRows} rows a file. No row comes back: each file's statistics are computed on Spark from the files.
     *
     * @return the files with rows, in write order ({@link #WRITE_ORDER})
     */
    List<ExternalWrite.File> writeFiles(Query query, Shape shape, String location, long fileRows) {
        checkTemplate(query);
        checkInputs(query);
        return spark.run(spark.config().queryTimeout(), "quiver.spark.query-timeout", s -> withViews(s, query, views -> {
            Bound bound = sliceSql(query, shape, views);
            String order = shape.order().stream().map(o -> SparkAnswers.ALIAS + "." + quote(o)).collect(Collectors.joining(", "));
            String sorted = "SELECT * FROM (SELECT " + shape.columns().stream().map(SparkQueryExecutor::cast).collect(Collectors.joining(", "))
                    + " FROM (" + bound.sql() + ") AS " + ALIAS + ") AS " + SparkAnswers.ALIAS + " ORDER BY " + order;
            s.sql(sorted, bound.values()).write().option("compression", "zstd").option("maxRecordsPerFile", fileRows).parquet(location);
            return statistics(s, location, shape);
        }));
    }

    /** Each written file's rows, size, event-time range and first key's range (as DuckDB's text), read on Spark. */
    private static List<ExternalWrite.File> statistics(SparkSession s, String location, Shape shape) {
        String view = "__quiver_" + UUID.randomUUID().toString().replace("-", "") + "_w";
        String ts = shape.timeColumn();
        String key = shape.keyColumns().get(0);
        s.read().schema(schema(shape, List.of(key, ts))).parquet(location).selectExpr("_metadata.file_name AS n", "_metadata.file_size AS b",
                "CAST(" + quote(ts) + " AS TIMESTAMP) AS t", quote(key) + " AS k").createOrReplaceTempView(view);
        try {
            List<ExternalWrite.File> files = new ArrayList<>();
            for (Row r : s.sql("SELECT n, count(*), b, unix_micros(min(t)), unix_micros(max(t)), CAST(min(k) AS STRING), CAST(max(k) AS STRING) "
                    + "FROM " + view + " GROUP BY n, b ORDER BY n").collectAsList()) {
                files.add(new ExternalWrite.File(r.getString(0), r.getLong(1), r.getLong(2), micros(r, 3), micros(r, 4),
                        r.isNullAt(5) ? null : r.getString(5), r.isNullAt(6) ? null : r.getString(6)));
            }
            files.sort(WRITE_ORDER);
            return files;
        } finally {
            dropQuietly(s, view);
        }
    }

    private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("part-(\\d+)-.*-c(\\d+)(\\..*)?");

    /**
     * Spark's output files in write order: by task (its partition of the sorted rows), then by the file's number within
     * the task ({@code part-00012-<uuid>-c001.zstd.parquet}), compared as numbers, not text; other names by name.
     */
    static final java.util.Comparator<ExternalWrite.File> WRITE_ORDER = (a, b) -> {
        java.util.regex.Matcher x = PART.matcher(a.name());
        java.util.regex.Matcher y = PART.matcher(b.name());
        if (x.matches() && y.matches()) {
            int byPart = new java.math.BigInteger(x.group(1)).compareTo(new java.math.BigInteger(y.group(1)));
            return byPart != 0 ? byPart : new java.math.BigInteger(x.group(2)).compareTo(new java.math.BigInteger(y.group(2)));
        }
        return a.name().compareTo(b.name());
    };

    /**
     * The latest row of each entity among a snapshot's data files ({@code files}: addresses in snapshot order) whose
     * event time lies in [from, to) (null: unbounded), chosen as the online store chooses it: latest event time, then
     * created time (nulls first), then write order; written, cast to the shape's columns, as one local Parquet file.
     *
     * @return entities
     */
    long latest(List<String> files, Shape shape, String createdColumn, java.time.Instant from, java.time.Instant to, Path target) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("the latest rows need at least one file");
        }
        return spark.run(spark.config().queryTimeout(), "quiver.spark.query-timeout", s -> {
            String view = "__quiver_" + UUID.randomUUID().toString().replace("-", "") + "_l";
            SparkTrainingSets.inWriteOrder(s, schema(shape, shape.columns().stream().map(Column::name).toList()), files).createOrReplaceTempView(view);
            try {
                Params values = new Params();
                String ts = "CAST(" + quote(shape.timeColumn()) + " AS TIMESTAMP)";
                List<String> where = new ArrayList<>();
                if (from != null) {
                    where.add(ts + " >= CAST(" + values.mark(from.toString()) + " AS TIMESTAMP)");
                }
                if (to != null) {
                    where.add(ts + " < CAST(" + values.mark(to.toString()) + " AS TIMESTAMP)");
                }
                String order = ts + " DESC" + (createdColumn == null ? "" : ", CAST(" + quote(createdColumn) + " AS TIMESTAMP) DESC NULLS LAST")
                        + ", __quiver_w DESC";
                String sql = "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY " + shape.keyColumns().stream().map(SparkQueryExecutor::quote)
                        .collect(Collectors.joining(", ")) + " ORDER BY " + order + ") AS __quiver_n FROM " + view
                        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + ") AS " + ALIAS + " WHERE __quiver_n = 1";
                // one row per entity, as many as the online store takes: not bounded by max-result-rows
                return write(s, new Bound(sql, values.values), shape.columns(), List.of(), target, Long.MAX_VALUE - 1, false);
            } finally {
                dropQuietly(s, view);
            }
        });
    }

    /** A DDL schema of the shape's named columns, in Spark's types. */
    private static String schema(Shape shape, List<String> names) {
        return shape.columns().stream().filter(c -> names.contains(c.name())).map(c -> quote(c.name()) + " " + SparkTypes.toSpark(c.type()))
                .collect(Collectors.joining(", "));
    }

    private static java.time.Instant micros(Row r, int i) {
        return r.isNullAt(i) ? null : java.time.Instant.EPOCH.plus(r.getLong(i), java.time.temporal.ChronoUnit.MICROS);
    }

    private static void dropQuietly(SparkSession s, String view) {
        try {
            s.catalog().dropTempView(view);
        } catch (RuntimeException dropFailed) {
            // a view lives only as long as the session
        }
    }

    @Override
    public String explain(Query query, Shape shape, boolean analyze) {
        checkTemplate(query);
        checkInputs(query);
        return spark.run(spark.config().queryTimeout(), "quiver.spark.query-timeout", s -> withViews(s, query, views -> {
            Bound bound = sliceSql(query, shape, views);
            String select = "SELECT " + shape.columns().stream().map(c -> cast(c)).collect(Collectors.joining(", ")) + " FROM (" + bound.sql() + ") AS " + ALIAS;
            StringBuilder plan = new StringBuilder();
            for (Row r : s.sql((analyze ? "EXPLAIN COST " : "EXPLAIN FORMATTED ") + select, bound.values()).collectAsList()) {
                plan.append(r.getString(0)).append('\n');
            }
            return plan.toString();
        }));
    }

    /**
     * What the template may not do, as DuckDB reads it (the registration checks) and with Spark's own ways out
     * ({@link #DENIED}): checked before every run too, since registration checks against DuckDB only.
     */
    private List<String> sandboxProblems(Query query) {
        Map<String, String> names = new LinkedHashMap<>();
        query.template().sources().forEach(s -> names.put(s, "__quiver_src_" + names.size()));
        String parsed = query.template().render(names::get, p -> "NULL", new ArrayList<>());
        try (VirtualEngine.Session session = local.open()) {
            return SqlSandbox.problems(session.connection(), parsed, Set.copyOf(names.values()), DENIED);
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "could not read the query template ("
                    + DuckDbQueryExecutor.message(e) + ")", e);
        }
    }

    private void checkTemplate(Query query) {
        List<String> problems = sandboxProblems(query);
        if (!problems.isEmpty()) {
            throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the template may not run on Spark: " + String.join("; ", problems)
                    + "; change the group's template, or set its query_executor_type to DUCKDB");
        }
    }

    /** Every file a query names must be one the local sandbox may read too: Spark reads nothing this service would not. */
    private void checkInputs(Query query) {
        for (SourceInput input : query.sources().values()) {
            for (Path file : input.files()) {
                if (!local.readable(file)) {
                    throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the data source '" + input.source().name() + "' names a "
                            + "file outside the lake's local copies; it was not read");
                }
            }
        }
    }

    /** Makes a temporary view of each source's files, runs {@code action} with their names, then drops them. */
    private <T> T withViews(SparkSession s, Query query, Function<Map<String, String>, T> action) {
        Map<String, String> views = new LinkedHashMap<>();
        String prefix = "__quiver_" + UUID.randomUUID().toString().replace("-", "");
        try {
            for (Map.Entry<String, SourceInput> e : query.sources().entrySet()) {
                SourceInput input = e.getValue();
                if (input.files().isEmpty() && input.locations().isEmpty()) {
                    views.put(e.getKey(), emptyRelation(input.source()));
                    continue;
                }
                String view = prefix + "_" + views.size();
                read(s, input).createOrReplaceTempView(view);
                views.put(e.getKey(), view);
            }
            return action.apply(views);
        } finally {
            views.values().stream().filter(v -> v.startsWith(prefix)).forEach(v -> dropQuietly(s, v));
        }
    }

    /** A source's files as a DataFrame of its registered schema (Hive partitions read from their paths). */
    private static Dataset<Row> read(SparkSession s, SourceInput input) {
        DataSource source = input.source();
        String schema = source.columns().stream().map(c -> quote(c.name()) + " " + SparkTypes.toSpark(c.type())).collect(Collectors.joining(", "));
        DataFrameReader reader = s.read().schema(schema);
        List<String> paths = !input.locations().isEmpty() ? input.locations()
                : input.files().stream().map(p -> p.toAbsolutePath().normalize().toUri().toString()).toList();
        if (source.columns().stream().anyMatch(SourceColumn::partition)) {
            reader = reader.option("basePath", basePath(paths.get(0)));
        }
        String[] files = paths.toArray(String[]::new);
        return switch (source.format()) {
            case PARQUET -> reader.parquet(files);
            case CSV -> reader.option("header", "true").option("sep", source.option("delimiter") == null ? "," : source.option("delimiter"))
                    .option("mode", "FAILFAST").csv(files);
            case JSON -> reader.option("mode", "FAILFAST").json(files);
        };
    }

    /** The directory above a file's first {@code name=value} segment: where its Hive partitions start. */
    static String basePath(String file) {
        int slash = file.lastIndexOf('/');
        String dir = file.substring(0, slash);
        int eq = dir.indexOf('=');
        return eq < 0 ? dir : dir.substring(0, dir.lastIndexOf('/', eq));
    }

    private Bound sliceSql(Query query, Shape shape, Map<String, String> views) {
        Params values = new Params();
        String from = render(query, views, values);
        List<String> where = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        shape.columns().forEach(c -> types.put(c.name(), SparkTypes.toSpark(c.type())));
        if (shape.keys() != null) {
            String first = ALIAS + "." + quote(shape.keyColumns().get(0));
            String firstType = types.get(shape.keyColumns().get(0));
            List<Object> distinct = shape.keys().stream().map(k -> k.get(0)).distinct().toList();
            if (distinct.isEmpty()) {
                where.add("false");
            } else {
                where.add(first + " IN (" + distinct.stream().map(v -> "CAST(" + values.mark(v) + " AS " + firstType + ")")
                        .collect(Collectors.joining(", ")) + ")");
            }
            if (shape.keyColumns().size() > 1 && !distinct.isEmpty()) {
                List<String> tuples = new ArrayList<>();
                for (List<Object> key : shape.keys()) {
                    List<String> parts = new ArrayList<>();
                    for (int i = 0; i < key.size(); i++) {
                        parts.add("CAST(" + values.mark(key.get(i)) + " AS " + types.get(shape.keyColumns().get(i)) + ")");
                    }
                    tuples.add("(" + String.join(", ", parts) + ")");
                }
                String row = shape.keyColumns().stream().map(k -> ALIAS + "." + quote(k)).collect(Collectors.joining(", ", "(", ")"));
                where.add(row + " IN (" + String.join(", ", tuples) + ")");
            }
        }
        String ts = "CAST(" + ALIAS + "." + quote(shape.timeColumn()) + " AS TIMESTAMP)";
        if (shape.from() != null) {
            where.add(ts + " >= CAST(" + values.mark(shape.from().toString()) + " AS TIMESTAMP)");
        }
        if (shape.to() != null) {
            where.add(ts + " <= CAST(" + values.mark(shape.to().toString()) + " AS TIMESTAMP)");
        }
        return new Bound("SELECT * FROM (" + from + ") AS " + ALIAS + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)), values.values);
    }

    /** The template over the views, its parameters bound (their values appended to {@code values}). */
    private static String render(Query query, Map<String, String> views, Params values) {
        return query.template().render(views::get, p -> "CAST(" + values.mark(query.values().get(p)) + " AS " + parameterType(query, p) + ")",
                new ArrayList<>());
    }

    private static String parameterType(Query query, String name) {
        TemplateParameter p = query.parameters().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("undeclared parameter " + name));
        return SparkTypes.toSpark(DuckDbTypes.of(FeatureDataType.parse(p.type())));
    }

    /** No rows, every column of the source with its type. */
    static String emptyRelation(DataSource s) {
        if (s.columns().isEmpty()) {
            return "(SELECT 1 AS __quiver_none LIMIT 0)";
        }
        return s.columns().stream().map(c -> "CAST(NULL AS " + SparkTypes.toSpark(c.type()) + ") AS " + quote(c.name()))
                .collect(Collectors.joining(", ", "(SELECT ", " LIMIT 0)"));
    }

    private static String cast(Column c) {
        return "CAST(" + ALIAS + "." + quote(c.name()) + " AS " + SparkTypes.toSpark(c.type()) + ") AS " + quote(c.name());
    }

    /** A Spark identifier (names reaching SQL passed Names validation; backticks doubled all the same). */
    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    private long write(SparkSession s, Bound bound, List<Column> columns, List<String> order, Path target) {
        return write(s, bound, columns, order, target, spark.config().maxResultRows(), false);
    }

    /** Runs the query on Spark, brings its rows into the local sandbox and writes them, cast to the columns' types, as one Parquet file. */
    private long write(SparkSession s, Bound bound, List<Column> columns, List<String> order, Path target, long limit, boolean cut) {
        try (VirtualEngine.Session session = local.open()) {
            SparkAnswers.Fetched rows = SparkAnswers.fetch(s, bound.sql(), bound.values(), columns, order, session.connection(),
                    limit, cut);
            try (Statement st = session.connection().createStatement()) {
                st.execute("COPY (" + rows.select() + ") TO " + DuckDbTypes.literal(target.toAbsolutePath().toString())
                        + " (FORMAT PARQUET, COMPRESSION ZSTD)");
                return rows.rows();
            } finally {
                rows.drop(session.connection());
            }
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the Spark answer could not be written ("
                    + DuckDbQueryExecutor.message(e) + ")", e);
        }
    }
}
