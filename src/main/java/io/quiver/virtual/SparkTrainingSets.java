package io.quiver.virtual;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.Dataset;
import org.apache.spark.sql.connect.SparkSession;

import io.quiver.columnar.DuckDbTypes;
import io.quiver.config.QueryExecutorType;
import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.offline.ScaleOutJoin;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Point-in-time training sets on the Spark Connect server. The rule: a training set runs on Spark when a server is
 * configured ({@code quiver.spark.url}), at least one of its groups has {@code query_executor_type} SPARK, every
 * feature's type crosses to Spark, and its work (entity rows plus the stored groups' snapshot rows it reads) reaches
 * {@code quiver.spark.min-rows}; otherwise on DuckDB. A request may ask for
 * either engine. Spark reads the entity table and the snapshots' files itself and sends back only the answer: each
 * entity row's feature values, which join the entity table's own columns locally.
 */
@ApplicationScoped
public class SparkTrainingSets implements ScaleOutJoin {

    private static final String TRAINING_SET_ADVICE = "retry, or use engine=DUCKDB if the Spark Connect server cannot run it";

    private final SparkEngine spark;
    private final EffectiveConfigResolver settings;

    public SparkTrainingSets(SparkEngine spark, EffectiveConfigResolver settings) {
        this.spark = spark;
        this.settings = settings;
    }

    @Override
    public Route route(List<GroupSchema> groups, long entityRows, long storedRows, Engine asked) {
        if (asked == Engine.DUCKDB) {
            return new Route(Engine.DUCKDB, "the request asked for DuckDB");
        }
        String unsupported = groups.stream().flatMap(g -> g.features().stream().filter(f -> !SparkTypes.carries(DuckDbTypes.of(f.dataTypeDetail())))
                .map(f -> g.group().name() + "." + f.name() + " (" + f.dataTypeDetail() + ")")).findFirst().orElse(null);
        if (asked == Engine.SPARK) {
            if (!spark.configured()) {
                throw new InvalidArgumentException("engine=SPARK needs a Spark Connect server, and this service has none (quiver.spark.url); "
                        + "leave engine out or use DUCKDB");
            }
            if (unsupported != null) {
                throw new InvalidArgumentException("engine=SPARK cannot carry the type of " + unsupported + "; leave engine out or use DUCKDB");
            }
            return new Route(Engine.SPARK, "the request asked for Spark");
        }
        List<String> onSpark = groups.stream().map(GroupSchema::group)
                .filter(g -> QueryExecutorType.SPARK.name().equals(settings.value(g, ConfigKey.QUERY_EXECUTOR_TYPE)))
                .map(FeatureGroup::name).distinct().toList();
        if (onSpark.isEmpty()) {
            return new Route(Engine.DUCKDB, "no group of the request has query_executor_type SPARK");
        }
        if (!spark.configured()) {
            return new Route(Engine.DUCKDB, "group " + onSpark.get(0) + " has query_executor_type SPARK, but no Spark Connect server is "
                    + "configured (quiver.spark.url)");
        }
        if (unsupported != null) {
            return new Route(Engine.DUCKDB, "the type of " + unsupported + " does not cross to Spark");
        }
        long work = entityRows + storedRows;
        long min = spark.config().minRows();
        String rows = work + " rows read (" + entityRows + " entity rows and " + storedRows + " stored feature rows)";
        if (work < min) {
            return new Route(Engine.DUCKDB, "the work, " + rows + ", is under quiver.spark.min-rows (" + min + ")");
        }
        return new Route(Engine.SPARK, "group " + onSpark.get(0) + " has query_executor_type SPARK and the work, " + rows
                + ", reaches quiver.spark.min-rows (" + min + ")");
    }

    @Override
    public boolean readsLake() {
        return spark.config().lakeAccess() == io.quiver.config.QuiverConfig.Spark.LakeAccess.OBJECT_STORE;
    }

    @Override
    public long join(List<Group> groups, String entities, Connection c, String table) {
        return spark.run(spark.config().queryTimeout(), "quiver.spark.query-timeout", TRAINING_SET_ADVICE, s -> {
            String prefix = "__quiver_" + UUID.randomUUID().toString().replace("-", "");
            List<String> views = new ArrayList<>();
            try {
                String entityView = prefix + "_e";
                s.read().parquet(entities).createOrReplaceTempView(entityView);
                views.add(entityView);
                List<SparkPointInTime.Part> parts = new ArrayList<>();
                List<QueryExecutor.Column> columns = new ArrayList<>();
                columns.add(new QueryExecutor.Column(SparkPointInTime.ROW, "BIGINT"));
                for (Group g : groups) {
                    String rows = null;
                    if (!g.files().isEmpty()) {
                        rows = prefix + "_g" + parts.size();
                        groupRows(s, g).createOrReplaceTempView(rows);
                        views.add(rows);
                    }
                    parts.add(new SparkPointInTime.Part(g.schema().group(), g.features(), g.outputNames(), rows));
                    for (int f = 0; f < g.features().size(); f++) {
                        columns.add(new QueryExecutor.Column(g.outputNames().get(f), DuckDbTypes.of(g.features().get(f).dataTypeDetail())));
                    }
                }
                String sql = SparkPointInTime.sql(parts, entityView);
                // one answer row per entity row: the entity table's own bound (an upload) bounds it
                SparkAnswers.Fetched fetched = SparkAnswers.fetch(s, sql, Map.of(), columns, List.of(), c, Long.MAX_VALUE - 1, false);
                try (Statement st = c.createStatement()) {
                    st.execute("CREATE TEMP TABLE " + table + " AS " + fetched.select());
                } finally {
                    fetched.drop(c);
                }
                return fetched.rows();
            } catch (SQLException e) {
                throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "the Spark answer of the training set could not be "
                        + "read (" + DuckDbQueryExecutor.message(e) + "); retry, or report it with the request id", e);
            } finally {
                for (String v : views) {
                    try {
                        s.catalog().dropTempView(v);
                    } catch (RuntimeException dropFailed) {
                        // a view lives only as long as the session
                    }
                }
            }
        });
    }

    /** The group's rows the join needs (keys, event and created time, the requested features) with their write order. */
    private static Dataset<Row> groupRows(SparkSession s, Group g) {
        FeatureGroup group = g.schema().group();
        Map<String, String> columns = new LinkedHashMap<>();
        for (JoinKey k : group.entityKeys()) {
            columns.put(k.name(), SparkTypes.toSpark(DuckDbTypes.of(FeatureDataType.scalar(k.valueType()))));
        }
        columns.put(group.eventTimestampColumn(), SparkTypes.toSpark(DuckDbTypes.of(FeatureDataType.scalar(DataType.TIMESTAMP))));
        if (group.createdTimestampColumn() != null) {
            columns.put(group.createdTimestampColumn(), SparkTypes.toSpark(DuckDbTypes.of(FeatureDataType.scalar(DataType.TIMESTAMP))));
        }
        for (Feature f : g.features()) {
            columns.putIfAbsent(f.name(), SparkPointInTime.type(f));
        }
        return inWriteOrder(s, columns.entrySet().stream().map(e -> SparkQueryExecutor.quote(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", ")), g.files());
    }

    /**
     * The rows of a snapshot's files (addresses, in snapshot order) read with this DDL schema, with each row's write
     * order as {@code __quiver_w}: the file's position in the snapshot above the row's index in the file, as DuckDB's
     * scan numbers them. A column a file lacks (added to the version later) reads as nulls.
     */
    static Dataset<Row> inWriteOrder(SparkSession s, String schema, List<String> files) {
        Dataset<Row> all = null;
        for (int i = 0; i < files.size(); i++) {
            Dataset<Row> file = s.read().schema(schema).parquet(files.get(i))
                    .selectExpr("*", "shiftleft(CAST(" + i + " AS BIGINT), 40) + _metadata.row_index AS __quiver_w");
            all = all == null ? file : all.unionAll(file);
        }
        return all;
    }
}
