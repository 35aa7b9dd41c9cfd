package io.quiver.virtual;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.quiver.metrics.StoreTimers;
import io.quiver.offline.ScaleOutJoin;
import io.quiver.offline.ScaleOutLoad;
import io.quiver.registry.model.GroupSchema;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Online loads on the Spark Connect server: each entity's latest row of a snapshot is picked on Spark, from the
 * snapshot's files where they lie, and only those rows come back (as Arrow) for the online store. Materialization
 * jobs of large SPARK groups and fills Spark wrote use it; the rule is the training sets' ({@link SparkTrainingSets}),
 * with the snapshot rows the load reads as the work.
 */
@ApplicationScoped
public class SparkOnlineLoads implements ScaleOutLoad {

    private final SparkTrainingSets rule;
    private final SparkQueryExecutor executor;
    private final VirtualEngine engine;
    private final StoreTimers timers;

    public SparkOnlineLoads(SparkTrainingSets rule, SparkEngine spark, VirtualEngine engine, MeterRegistry metrics) {
        this.rule = rule;
        this.engine = engine;
        this.executor = new SparkQueryExecutor(spark, engine);
        this.timers = new StoreTimers(metrics, "quiver.executor", "executor", "spark");
    }

    @Override
    public ScaleOutJoin.Route route(GroupSchema schema, long storedRows) {
        return rule.route(List.of(schema), 0, storedRows, ScaleOutJoin.Engine.AUTO);
    }

    @Override
    public boolean readsLake() {
        return rule.readsLake();
    }

    @Override
    public Path latest(GroupSchema schema, List<String> files, Instant start, Instant end) {
        Path target = engine.scratch().resolve("latest-" + UUID.randomUUID() + ".parquet");
        timers.time("latest", () -> executor.latest(files, VirtualReads.shape(schema, null, null, null), schema.group().createdTimestampColumn(),
                start, end, target));
        return target;
    }
}
