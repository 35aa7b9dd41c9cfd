package io.quiver.virtual;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.error.Suggestions;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;
import io.quiver.json.JsonPolicy;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.offline.ObjectFileCache;
import io.quiver.offline.ParquetFileWriter;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.validation.ValueChecker;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Virtual groups as tables (the seeds' {@code query_via_virtual_layer}): with {@code register_virtual_tables}, the
 * latest version of each group with a query template is the table {@code <virtual_table_prefix><group>}, whose
 * columns are the group's keys, timestamps and features. A query names columns, predicates (each checked against the
 * column's type and bound), a sort and a limit; it runs in the sandbox with the predicates on the template's output,
 * where DuckDB pushes them into the scans.
 */
@ApplicationScoped
public class VirtualTables {

    /** A virtual table. */
    public record Table(String name, String group, int version, Map<String, FeatureDataType> columns) {
    }

    /** A predicate as a client sends it. */
    public record Condition(String column, QueryExecutor.Operator op, List<Object> values) {
    }

    /** A query of a virtual table as a client sends it; nulls take the defaults (all columns, no order, limit 100). */
    public record Request(List<String> columns, List<Condition> predicates, List<QueryExecutor.Order> orderBy, Integer limit) {
    }

    private final RegistryCatalog catalog;
    private final EffectiveConfigResolver settings;
    private final VirtualReads reads;
    private final ObjectFileCache files;
    private final QueryExecutor executor;
    private final VirtualEngine engine;
    private final DuckDbEngine main;
    private final int maxRows;
    private final io.quiver.access.AccessRecorder access;

    private final io.quiver.registry.GroupGate gate;

    public VirtualTables(RegistryCatalog catalog, EffectiveConfigResolver settings, VirtualReads reads, ObjectFileCache files,
            QueryExecutor executor, VirtualEngine engine, DuckDbEngine main, QuiverConfig config, io.quiver.access.AccessRecorder access,
            io.quiver.registry.GroupGate gate) {
        this.gate = gate;
        this.access = access;
        this.catalog = catalog;
        this.settings = settings;
        this.reads = reads;
        this.files = files;
        this.executor = executor;
        this.engine = engine;
        this.main = main;
        this.maxRows = config.virtual().maxTableRows();
    }

    /** Every virtual table now that the caller may read. */
    public List<Table> list() {
        List<Table> out = new ArrayList<>();
        java.util.Set<String> readable = gate.readable().orElse(null);
        for (FeatureGroup g : catalog.allGroupVersions()) {
            if (g.latest() && (readable == null || readable.contains(g.name()))) {
                settings.virtualTable(g).ifPresent(name -> out.add(table(name, catalog.group(g.name(), g.version()))));
            }
        }
        return out;
    }

    /** The table of that name. @throws QuiverException FEATURE_GROUP_NOT_FOUND naming close tables */
    public Table table(String name) {
        if (name != null && name.startsWith(prefixGuess())) {
            Optional<GroupSchema> g = catalog.find(name.substring(prefixGuess().length()), 0);
            if (g.isPresent() && settings.virtualTable(g.get().group()).map(name::equals).orElse(false)) {
                return table(name, g.get());
            }
        }
        List<Table> all = list();
        return all.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(() -> new QuiverException(
                ErrorCode.FEATURE_GROUP_NOT_FOUND, "there is no virtual table '" + name + "'" + Suggestions.close(String.valueOf(name),
                        all.stream().map(Table::name).toList(), 3).stream().collect(Collectors.collectingAndThen(Collectors.toList(),
                                l -> l.isEmpty() ? "; virtualTables lists them" : "; did you mean " + String.join(", ", l) + "?"))));
    }

    /** Runs the query into a Parquet file in {@code dir}; returns the file and its columns' types. */
    public Result query(String tableName, Request request, Path dir) {
        Table table = table(tableName);
        gate.check(table.group(), io.quiver.registry.model.GroupAction.READ);
        long t0 = System.nanoTime();
        try {
            Result r = run(table, request, dir);
            access.access(table.group(), io.quiver.access.AccessPath.VIRTUAL_TABLE, io.quiver.config.Mode.VIRTUALIZED,
                    System.nanoTime() - t0, r.rows(), r.file().toFile().length());
            return r;
        } catch (RuntimeException e) {
            access.failure(table.group(), io.quiver.access.AccessPath.VIRTUAL_TABLE);
            throw e;
        }
    }

    private Result run(Table table, Request request, Path dir) {
        GroupSchema schema = catalog.group(table.group(), table.version());
        QueryExecutor.Selection selection = selection(table, request);
        VirtualReads.Prepared prepared = reads.prepare(schema, null, null);
        List<ObjectInfo> objects = prepared.inputs().values().stream().flatMap(i -> i.files().stream()).distinct().toList();
        Path target = dir.resolve("table-" + UUID.randomUUID() + ".parquet");
        try (ObjectFileCache.Lease lease = files.leaseVersions(objects)) {
            Map<String, QueryExecutor.SourceInput> sources = new LinkedHashMap<>();
            prepared.inputs().forEach((ref, in) -> sources.put(ref, new QueryExecutor.SourceInput(in.source(),
                    in.files().stream().map(o -> lease.path(o.key())).toList())));
            Path scratch = engine.scratch().resolve("table-" + UUID.randomUUID() + ".parquet");
            long rows = executor.select(new QueryExecutor.Query(prepared.sql(), sources, schema.group().queryTemplate().parameters(),
                    prepared.values()), selection, scratch);
            java.nio.file.Files.move(scratch, target);
            Map<String, FeatureDataType> types = new LinkedHashMap<>();
            selection.columns().forEach(c -> types.put(c.name(), table.columns().get(c.name())));
            return new Result(table, target, rows, types);
        } catch (java.io.IOException e) {
            throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "could not keep the virtual table's answer; retry", e);
        }
    }

    /** A query's answer: a Parquet file with the selected columns. */
    public record Result(Table table, Path file, long rows, Map<String, FeatureDataType> columns) {
    }

    /** The answer as JSON rows (column name to value), TIMESTAMPs as ISO-8601 UTC. */
    public List<Map<String, Object>> rows(Result result) {
        String values = result.columns().entrySet().stream().map(e -> DuckDbTypes.literal(e.getKey()) + ": "
                + DuckDbTypes.jsonValue(e.getValue(), DuckDbTypes.quote(e.getKey()))).collect(Collectors.joining(", ", "{", "}"));
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = main.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT to_json(" + values + ") FROM read_parquet("
                        + DuckDbTypes.literal(result.file().toAbsolutePath().toString()) + ")")) {
            while (r.next()) {
                out.add(JsonPolicy.shared().readValue(r.getString(1), new TypeReference<LinkedHashMap<String, Object>>() {
                }));
            }
        } catch (SQLException | java.io.IOException e) {
            throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "could not read the virtual table's answer; retry", e);
        }
        return out;
    }

    private Table table(String name, GroupSchema schema) {
        return new Table(name, schema.group().name(), schema.group().version(), ParquetFileWriter.columns(schema));
    }

    private String prefixGuess() {
        return settings.globalVirtualTablePrefix();
    }

    /** The request checked against the table's columns and types; every problem listed. */
    QueryExecutor.Selection selection(Table table, Request request) {
        Violations v = new Violations();
        Request r = request == null ? new Request(null, null, null, null) : request;
        List<QueryExecutor.Column> columns = new ArrayList<>();
        List<String> names = r.columns() == null || r.columns().isEmpty() ? List.copyOf(table.columns().keySet()) : r.columns();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String c = names.get(i);
            if (!table.columns().containsKey(c)) {
                v.add("columns[" + i + "]", ValidationRule.UNKNOWN_COLUMN, unknown(table, c));
            } else if (seen.add(c)) {
                columns.add(new QueryExecutor.Column(c, DuckDbTypes.of(table.columns().get(c))));
            }
        }
        List<QueryExecutor.Predicate> predicates = new ArrayList<>();
        List<Condition> conditions = r.predicates() == null ? List.of() : r.predicates();
        if (conditions.size() > 100) {
            v.add("predicates", ValidationRule.TOO_LONG, "at most 100 predicates");
        }
        for (int i = 0; i < Math.min(conditions.size(), 100); i++) {
            predicate("predicates[" + i + "]", table, conditions.get(i), v).ifPresent(predicates::add);
        }
        List<QueryExecutor.Order> order = new ArrayList<>();
        List<QueryExecutor.Order> given = r.orderBy() == null ? List.of() : r.orderBy();
        for (int i = 0; i < given.size(); i++) {
            QueryExecutor.Order o = given.get(i);
            FeatureDataType type = o == null ? null : table.columns().get(o.column());
            if (type == null) {
                v.add("orderBy[" + i + "].column", ValidationRule.UNKNOWN_COLUMN, unknown(table, o == null ? null : o.column()));
            } else if (type.base().isNested()) {
                v.add("orderBy[" + i + "].column", ValidationRule.TYPE, "'" + o.column() + "' is " + type + "; sort by a scalar column");
            } else {
                order.add(o);
            }
        }
        int limit = r.limit() == null ? 100 : r.limit();
        if (limit < 1 || limit > maxRows) {
            v.add("limit", ValidationRule.OUT_OF_RANGE, "limit must be between 1 and " + maxRows + " (quiver.virtual.max-table-rows), not "
                    + limit + "; for more rows, read the group's features with historicalFeatures");
        }
        v.throwIfAny("The virtual table query", false);
        return new QueryExecutor.Selection(columns, predicates, order, limit);
    }

    private static Optional<QueryExecutor.Predicate> predicate(String path, Table table, Condition c, Violations v) {
        if (c == null || c.column() == null || c.op() == null) {
            v.add(path, ValidationRule.REQUIRED, "a predicate needs a column and an op");
            return Optional.empty();
        }
        FeatureDataType type = table.columns().get(c.column());
        if (type == null) {
            v.add(path + ".column", ValidationRule.UNKNOWN_COLUMN, unknown(table, c.column()));
            return Optional.empty();
        }
        List<Object> values = c.values() == null ? List.of() : c.values();
        boolean nullTest = c.op() == QueryExecutor.Operator.IS_NULL || c.op() == QueryExecutor.Operator.IS_NOT_NULL;
        if (type.base().isNested() && !nullTest) {
            v.add(path + ".op", ValidationRule.TYPE, "'" + c.column() + "' is " + type + "; only IS_NULL and IS_NOT_NULL apply to it");
            return Optional.empty();
        }
        int wanted = nullTest ? 0 : c.op() == QueryExecutor.Operator.IN ? -1 : 1;
        if (wanted == 0 && !values.isEmpty() || wanted == 1 && values.size() != 1 || wanted == -1 && (values.isEmpty() || values.size() > 1000)) {
            v.add(path + ".values", ValidationRule.REQUIRED, c.op() + (wanted == 0 ? " takes no value" : wanted == 1 ? " takes exactly one value"
                    : " takes 1 to 1,000 values"));
            return Optional.empty();
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Object value = values.get(i);
            try {
                if (value == null || value instanceof Map || value instanceof List) {
                    throw new IllegalArgumentException("expected a " + type + " value");
                }
                texts.add(ValueChecker.normalize(type, value.toString()));
            } catch (IllegalArgumentException e) {
                v.add(path + ".values[" + i + "]", ValidationRule.VALUE_TYPE, "'" + value + "' is not a " + type + " value for '" + c.column()
                        + "': " + e.getMessage());
            }
        }
        return texts.size() == values.size() ? Optional.of(new QueryExecutor.Predicate(c.column(), DuckDbTypes.of(type), c.op(), texts))
                : Optional.empty();
    }

    private static String unknown(Table table, String column) {
        return "'" + column + "' is not a column of " + table.name() + "; its columns: " + String.join(", ", table.columns().keySet())
                + Suggestions.closest(String.valueOf(column), table.columns().keySet()).map(s -> ". Did you mean " + s + "?").orElse("");
    }
}
