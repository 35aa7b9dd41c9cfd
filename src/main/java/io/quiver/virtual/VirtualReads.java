package io.quiver.virtual;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.concurrent.BoundedExecutor;
import io.quiver.config.Mode;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.offline.ComputedGroups;
import io.quiver.offline.ObjectFileCache;
import io.quiver.offline.ParquetFileWriter;
import io.quiver.registry.DataSourceRegistry;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.model.QueryTemplate;
import io.quiver.registry.model.TemplateSql;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads of virtual groups: the rows a read needs, computed by the group's template over its data sources' files
 * (fetched into the file cache, only those that can matter), restricted to the read's entities and event-time
 * range, cast and sorted exactly like the group's data files, so that the online and point-in-time paths treat them
 * as they treat stored rows and answer with the same semantics. Results are reused while their inputs are unchanged
 * ({@link ResultCache}); each read records its time and whether it was a cache hit, per group.
 */
@ApplicationScoped
public class VirtualReads implements ComputedGroups {

    private final DataSources dataSources;
    private final DataSourceRegistry registry;
    private final ObjectFileCache files;
    private final QueryExecutor executor;
    private final ResultCache results;
    private final VirtualEngine engine;
    private final EffectiveConfigResolver settings;
    private final BoundedExecutor fetchers;
    private final MeterRegistry metrics;
    private final io.quiver.access.AccessRecorder access;
    private final SparkEngine spark;
    private final QueryExecutor sparkExecutor;
    private final io.quiver.metrics.StoreTimers sparkTimers;
    private final io.quiver.objectstore.ObjectStore lake;

    public VirtualReads(DataSources dataSources, DataSourceRegistry registry, ObjectFileCache files, QueryExecutor executor,
            ResultCache results, VirtualEngine engine, EffectiveConfigResolver settings, MeterRegistry metrics, QuiverConfig config,
            io.quiver.access.AccessRecorder access, SparkEngine spark, io.quiver.objectstore.ObjectStore lake) {
        this.access = access;
        this.lake = lake;
        this.spark = spark;
        this.sparkExecutor = new SparkQueryExecutor(spark, engine);
        this.sparkTimers = new io.quiver.metrics.StoreTimers(metrics, "quiver.executor", "executor", "spark");
        this.dataSources = dataSources;
        this.registry = registry;
        this.files = files;
        this.executor = executor;
        this.results = results;
        this.engine = engine;
        this.settings = settings;
        this.metrics = metrics;
        int parallel = Math.max(1, config.virtual().fetchParallelism());
        this.fetchers = new BoundedExecutor("quiver-lake-fetch", parallel, 64 * parallel);
    }

    @Override
    public boolean computes(GroupSchema group) {
        return settings.servedAs(group.group()) == Mode.VIRTUALIZED;
    }

    @Override
    public Rows rows(GroupSchema group, List<List<Object>> keys, Instant from, Instant to) {
        ResultCache.Lease lease = slice(group, keys, from, to);
        return new Rows() {
            @Override
            public List<Path> files() {
                return List.of(lease.file());
            }

            @Override
            public void close() {
                lease.close();
            }
        };
    }

    /**
     * The group's rows for these entities (null: all) and event times in [from, to] (null: unbounded), as one local
     * Parquet file laid out like its data files; held until the lease is closed.
     */
    public ResultCache.Lease slice(GroupSchema schema, List<List<Object>> keys, Instant from, Instant to) {
        FeatureGroup g = schema.group();
        QueryTemplate template = g.queryTemplate();
        if (template == null) {
            throw new QuiverException(ErrorCode.INVALID_ARGUMENT, "feature group '" + g.name() + "' version " + g.version()
                    + " has no query template; it is read from its stored data");
        }
        long started = System.nanoTime();
        Prepared prepared = prepare(schema, from, to);
        List<List<Object>> sortedKeys = keys == null ? null : keys.stream().distinct().sorted(KEY_ORDER).toList();
        ResultCache.Key key = new ResultCache.Key(g.id(), template.sql(), List.copyOf(prepared.values().values()), prepared.versions(),
                sortedKeys, from, to);
        var cached = results.get(key);
        if (cached.isPresent()) {
            access.cache(g.name(), true);
            counter(g, "hit").increment();
            timer(g).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return cached.get();
        }
        access.cache(g.name(), false);
        counter(g, "miss").increment();
        QueryExecutor.Shape shape = shape(schema, sortedKeys, from, to);
        Path target = engine.scratch().resolve("slice-" + UUID.randomUUID() + ".parquet");
        if (onSpark(schema, sortedKeys, prepared)) {
            withSparkQuery(prepared, template, query -> sparkTimers.time("slice", () -> sparkExecutor.slice(query, shape, target)));
        } else {
            withLocalCopies(prepared, template, query -> executor.slice(query, shape, target));
        }
        ResultCache.Lease result = results.put(key, target);
        timer(g).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return result;
    }

    /**
     * Runs {@code action} with the read's query as the Spark executor takes it: the lake files' addresses when Spark
     * reads the lake itself (nothing is fetched here), otherwise local copies, held for the action.
     */
    <T> T withSparkQuery(Prepared prepared, QueryTemplate template, java.util.function.Function<QueryExecutor.Query, T> action) {
        Map<String, QueryExecutor.SourceInput> sources = new LinkedHashMap<>();
        if (spark.config().lakeAccess() == QuiverConfig.Spark.LakeAccess.OBJECT_STORE) {
            prepared.inputs().forEach((ref, in) -> sources.put(ref, new QueryExecutor.SourceInput(in.source(), List.of(),
                    in.files().stream().map(o -> lake.uri(o.key())).toList())));
            return action.apply(new QueryExecutor.Query(prepared.sql(), sources, template.parameters(), prepared.values()));
        }
        return withLocalCopies(prepared, template, action);
    }

    /** Runs {@code action} with the read's query over local copies of its files, fetched as needed and held for the action. */
    private <T> T withLocalCopies(Prepared prepared, QueryTemplate template, java.util.function.Function<QueryExecutor.Query, T> action) {
        List<ObjectInfo> objects = prepared.inputs().values().stream().flatMap(i -> i.files().stream()).distinct().toList();
        try (ObjectFileCache.Lease lease = files.leaseVersions(objects, fetchers)) {
            Map<String, QueryExecutor.SourceInput> sources = new LinkedHashMap<>();
            prepared.inputs().forEach((ref, in) -> sources.put(ref, new QueryExecutor.SourceInput(in.source(),
                    in.files().stream().map(o -> lease.path(o.key())).toList())));
            return action.apply(new QueryExecutor.Query(prepared.sql(), sources, template.parameters(), prepared.values()));
        }
    }

    /**
     * Whether Spark computes a read: a read of every entity (a strategy fill, a training set past
     * {@code max-key-filter} entities) of a group with {@code query_executor_type} SPARK whose columns' types all cross
     * to Spark and whose sources hold at least {@code quiver.spark.min-rows} rows, when a server is configured. Reads
     * for given entities stay on DuckDB.
     */
    boolean onSpark(GroupSchema schema, List<List<Object>> keys, Prepared prepared) {
        return sparkRoute(schema, keys, () -> prepared).engine() == io.quiver.offline.ScaleOutJoin.Engine.SPARK;
    }

    /** Where a read is computed by that rule, and why in a sentence ({@code prepared} is asked only when the size decides). */
    io.quiver.offline.ScaleOutJoin.Route sparkRoute(GroupSchema schema, List<List<Object>> keys, java.util.function.Supplier<Prepared> prepared) {
        FeatureGroup g = schema.group();
        io.quiver.offline.ScaleOutJoin.Engine duck = io.quiver.offline.ScaleOutJoin.Engine.DUCKDB;
        if (keys != null) {
            return new io.quiver.offline.ScaleOutJoin.Route(duck, "a read of given entities stays on DuckDB");
        }
        if (!io.quiver.config.QueryExecutorType.SPARK.name().equals(settings.value(g, io.quiver.registry.model.ConfigKey.QUERY_EXECUTOR_TYPE))) {
            return new io.quiver.offline.ScaleOutJoin.Route(duck, "group " + g.name() + " has query_executor_type DUCKDB");
        }
        if (!spark.configured()) {
            return new io.quiver.offline.ScaleOutJoin.Route(duck, "group " + g.name() + " has query_executor_type SPARK, but no Spark Connect "
                    + "server is configured (quiver.spark.url)");
        }
        String unsupported = ParquetFileWriter.columns(schema).entrySet().stream().filter(c -> !SparkTypes.carries(DuckDbTypes.of(c.getValue())))
                .map(c -> g.name() + "." + c.getKey() + " (" + c.getValue() + ")").findFirst().orElse(null);
        if (unsupported != null) {
            return new io.quiver.offline.ScaleOutJoin.Route(duck, "the type of " + unsupported + " does not cross to Spark");
        }
        long rows = prepared.get().inputs().values().stream().mapToLong(i -> i.source().rowEstimate()).sum();
        long min = spark.config().minRows();
        String sources = "its sources hold about " + rows + " rows (estimated), ";
        return rows >= min
                ? new io.quiver.offline.ScaleOutJoin.Route(io.quiver.offline.ScaleOutJoin.Engine.SPARK, "group " + g.name()
                        + " has query_executor_type SPARK and " + sources + "at least quiver.spark.min-rows (" + min + ")")
                : new io.quiver.offline.ScaleOutJoin.Route(duck, sources + "under quiver.spark.min-rows (" + min + ")");
    }

    /** The plan the executor runs for a read (tests and operators), optionally after running it. */
    public String explain(GroupSchema schema, List<List<Object>> keys, Instant from, Instant to, boolean analyze) {
        Prepared prepared = prepare(schema, from, to);
        return withLocalCopies(prepared, schema.group().queryTemplate(), query -> executor.explain(query, shape(schema, keys, from, to), analyze));
    }

    /** A source reference with the data source it names and the files a read of [from, to] needs. */
    record Input(DataSource source, List<ObjectInfo> files) {
    }

    /** A template with its inputs listed and pruned, its parameter values, and the versions the result depends on. */
    record Prepared(TemplateSql sql, Map<String, Input> inputs, Map<String, String> values, List<String> versions) {
    }

    Prepared prepare(GroupSchema schema, Instant from, Instant to) {
        QueryTemplate template = schema.group().queryTemplate();
        TemplateSql sql = TemplateSql.parse(template.sql());
        Map<String, Input> inputs = new LinkedHashMap<>();
        List<String> versions = new ArrayList<>();
        for (String ref : sql.sources()) {
            String name = ref.contains(".") ? ref.substring(ref.indexOf('.') + 1) : ref;
            DataSource source = registry.find(name).orElseThrow(() -> new QuiverException(ErrorCode.DATA_SOURCE_NOT_FOUND,
                    "data source '" + name + "' of feature group '" + schema.group().name() + "' is no longer registered; register it again"));
            DataSources.Listing listing = dataSources.files(source);
            List<LakeFiles.LakeFile> needed = LakeFiles.prune(listing.files(), source.option("timePartition"), from, to);
            inputs.put(ref, new Input(source, needed.stream().map(LakeFiles.LakeFile::object).toList()));
            versions.add(name + "@" + listing.version());
        }
        Map<String, String> values = new LinkedHashMap<>();
        template.parameters().forEach(p -> values.put(p.name(), p.defaultValue()));
        return new Prepared(sql, inputs, values, versions);
    }

    /** The group's data file layout, filtered to the read and sorted like its files. */
    static QueryExecutor.Shape shape(GroupSchema schema, List<List<Object>> keys, Instant from, Instant to) {
        FeatureGroup g = schema.group();
        List<QueryExecutor.Column> columns = new ArrayList<>();
        ParquetFileWriter.columns(schema).forEach((name, type) -> columns.add(new QueryExecutor.Column(name, DuckDbTypes.of(type))));
        List<String> keyColumns = g.entityKeys().stream().map(JoinKey::name).toList();
        List<String> order = new ArrayList<>(keyColumns);
        order.add(g.eventTimestampColumn());
        if (g.createdTimestampColumn() != null) {
            order.add(g.createdTimestampColumn());
        }
        return new QueryExecutor.Shape(columns, keyColumns, keys, g.eventTimestampColumn(), from, to, order);
    }

    private static final Comparator<List<Object>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = String.valueOf(a.get(i)).compareTo(String.valueOf(b.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private Counter counter(FeatureGroup g, String result) {
        return Counter.builder("quiver.virtual.cache").description("Virtual reads answered from the result cache (hit) or computed (miss)")
                .tag("group", g.name()).tag("result", result).register(metrics);
    }

    private Timer timer(FeatureGroup g) {
        return Timer.builder("quiver.virtual.read").description("Time to have a virtual group's rows for a read, cache hits included")
                .tag("group", g.name()).register(metrics);
    }

    @PreDestroy
    void stop() {
        fetchers.close(java.time.Duration.ofSeconds(5));
    }
}
