package io.quiver.virtual;

import io.micrometer.core.instrument.MeterRegistry;
import io.quiver.config.QuiverConfig;
import io.quiver.metrics.StoreTimers;
import io.quiver.offline.ExternalWrite;
import io.quiver.offline.ScaleOutJoin;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Materializing a virtual group on the Spark Connect server: Spark computes the group's template over the lake and
 * writes the rows as the group's data files itself ({@link ExternalWrite}), straight into the object store when it
 * reads the lake ({@code lake-access = OBJECT_STORE}), and the offline writer commits them; only the latest row of
 * each entity comes back, for the online store ({@link SparkOnlineLoads}). A fill runs here by the rule of whole-group reads: a group with
 * {@code query_executor_type} SPARK whose sources hold at least {@code quiver.spark.min-rows} rows, when a server is
 * configured.
 */
@ApplicationScoped
public class SparkFills {

    private final VirtualReads reads;
    private final SparkEngine spark;
    private final SparkQueryExecutor executor;
    private final StoreTimers timers;
    private final long fileRows;

    public SparkFills(VirtualReads reads, SparkEngine spark, VirtualEngine engine, MeterRegistry metrics, QuiverConfig config) {
        this.reads = reads;
        this.spark = spark;
        this.executor = new SparkQueryExecutor(spark, engine);
        this.timers = new StoreTimers(metrics, "quiver.executor", "executor", "spark");
        this.fileRows = config.offline().fileRows();
    }

    /** Where a fill of the group (every entity, all of time) is computed, and why. */
    public ScaleOutJoin.Route route(GroupSchema schema) {
        FeatureGroup g = schema.group();
        if (g.queryTemplate() == null) {
            return new ScaleOutJoin.Route(ScaleOutJoin.Engine.DUCKDB, "group " + g.name() + " has no query template");
        }
        return reads.sparkRoute(schema, null, () -> reads.prepare(schema, null, null));
    }

    /** Whether Spark writes into the object store itself; otherwise into a local directory this service uploads from. */
    public boolean writesLake() {
        return spark.config().lakeAccess() == QuiverConfig.Spark.LakeAccess.OBJECT_STORE;
    }

    /** The engine that writes the group's rows, laid out and sorted like its data files, into a directory it is given. */
    public ExternalWrite writer(GroupSchema schema) {
        return location -> {
            VirtualReads.Prepared prepared = reads.prepare(schema, null, null);
            QueryExecutor.Shape shape = VirtualReads.shape(schema, null, null, null);
            return reads.withSparkQuery(prepared, schema.group().queryTemplate(),
                    query -> timers.time("write", () -> executor.writeFiles(query, shape, location, fileRows)));
        };
    }
}
