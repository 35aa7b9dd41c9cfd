package io.quiver.virtual;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.SourceColumn;
import io.quiver.registry.model.TemplateParameter;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The DuckDB executor: each query runs in {@link VirtualEngine}'s sandbox, on a connection of its own, within the
 * query timeout. Sources become {@code read_parquet} / {@code read_csv} / {@code read_json} over the local copies
 * (Hive partitions read from their paths); every value is a bound parameter. The filters of a read sit directly
 * on the template's output columns, so DuckDB pushes them into the file scans (row groups whose statistics exclude
 * the wanted keys are skipped), and only the columns the read needs are read.
 */
@ApplicationScoped
public class DuckDbQueryExecutor implements QueryExecutor {

    private static final Logger LOG = Logger.getLogger(DuckDbQueryExecutor.class);
    private static final String ALIAS = "__quiver_v";

    private final VirtualEngine engine;

    public DuckDbQueryExecutor(VirtualEngine engine) {
        this.engine = engine;
    }

    /** SQL with its bound values, in order. */
    private record Bound(String sql, List<Object> values) {
    }

    @Override
    public Description describe(Query query) {
        List<String> placeholders = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        query.template().sources().forEach(s -> names.put(s, "__quiver_src_" + names.size()));
        placeholders.addAll(names.values());
        String parsed = query.template().render(names::get, p -> "NULL", new ArrayList<>());
        try (VirtualEngine.Session session = engine.open()) {
            List<String> problems = SqlSandbox.problems(session.connection(), parsed, Set.copyOf(placeholders));
            if (!problems.isEmpty()) {
                return new Description(List.of(), problems);
            }
            String empty = query.template().render(ref -> emptyRelation(query.sources().get(ref).source()),
                    p -> "CAST(NULL AS " + parameterType(query, p) + ")", new ArrayList<>());
            List<SourceColumn> columns = new ArrayList<>();
            try (Statement s = session.connection().createStatement();
                    DuckDbEngine.Deadline deadline = session.deadline(s);
                    ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM (" + empty + ") AS " + ALIAS)) {
                while (r.next()) {
                    columns.add(new SourceColumn(r.getString("column_name"), r.getString("column_type"), false));
                }
            } catch (SQLException e) {
                return new Description(List.of(), List.of("it does not run: " + message(e)));
            }
            return new Description(columns, List.of());
        } catch (SQLException e) {
            throw failure("could not read the query template", e);
        }
    }

    @Override
    public long slice(Query query, Shape shape, Path target) {
        Bound bound = sliceSql(query, shape);
        return copy(bound, target);
    }

    @Override
    public long select(Query query, Selection selection, Path target) {
        List<Object> values = new ArrayList<>();
        String from = render(query, values);
        List<String> where = new ArrayList<>();
        for (Predicate p : selection.predicates()) {
            String c = DuckDbTypes.quote(p.column());
            String cast = "CAST(? AS " + p.type() + ")";
            switch (p.op()) {
                case IS_NULL, IS_NOT_NULL -> where.add(c + " " + p.op().sql);
                case IN -> {
                    where.add(c + " IN (" + p.values().stream().map(v -> cast).collect(Collectors.joining(", ")) + ")");
                    values.addAll(p.values());
                }
                default -> {
                    where.add(c + " " + p.op().sql + " " + cast);
                    values.add(p.values().get(0));
                }
            }
        }
        String columns = selection.columns().stream().map(c -> DuckDbTypes.quote(c.name())).collect(Collectors.joining(", "));
        String order = selection.order().isEmpty() ? "" : " ORDER BY " + selection.order().stream()
                .map(o -> DuckDbTypes.quote(o.column()) + (o.descending() ? " DESC" : " ASC") + " NULLS LAST").collect(Collectors.joining(", "));
        String sql = "SELECT " + columns + " FROM (" + from + ") AS " + ALIAS + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + order + " LIMIT " + Math.max(0, selection.limit());
        return copy(new Bound(sql, values), target);
    }

    @Override
    public String explain(Query query, Shape shape, boolean analyze) {
        Bound bound = sliceSql(query, shape);
        try (VirtualEngine.Session session = engine.open();
                PreparedStatement s = session.connection().prepareStatement((analyze ? "EXPLAIN ANALYZE " : "EXPLAIN ") + bound.sql());
                DuckDbEngine.Deadline deadline = session.deadline(s)) {
            bind(s, bound.values());
            StringBuilder plan = new StringBuilder();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    plan.append(r.getString(2)).append('\n');
                }
            }
            return plan.toString();
        } catch (SQLException e) {
            throw failure("could not explain the query", e);
        }
    }

    private Bound sliceSql(Query query, Shape shape) {
        List<Object> values = new ArrayList<>();
        String from = render(query, values);
        List<String> where = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        shape.columns().forEach(c -> types.put(c.name(), c.type()));
        if (shape.keys() != null) {
            // the first key as an IN list the scan can check against row-group statistics, then every key exactly
            String first = DuckDbTypes.quote(shape.keyColumns().get(0));
            String firstType = types.get(shape.keyColumns().get(0));
            List<Object> distinct = shape.keys().stream().map(k -> k.get(0)).distinct().toList();
            if (distinct.isEmpty()) {
                where.add("false");
            } else {
                where.add(first + " IN (" + distinct.stream().map(v -> "CAST(? AS " + firstType + ")").collect(Collectors.joining(", ")) + ")");
                values.addAll(distinct);
            }
            if (shape.keyColumns().size() > 1 && !distinct.isEmpty()) {
                List<String> tuples = new ArrayList<>();
                for (List<Object> key : shape.keys()) {
                    List<String> parts = new ArrayList<>();
                    for (int i = 0; i < key.size(); i++) {
                        parts.add("CAST(? AS " + types.get(shape.keyColumns().get(i)) + ")");
                        values.add(key.get(i));
                    }
                    tuples.add("(" + String.join(", ", parts) + ")");
                }
                String row = shape.keyColumns().stream().map(DuckDbTypes::quote).collect(Collectors.joining(", ", "(", ")"));
                where.add(row + " IN (" + String.join(", ", tuples) + ")");
            }
        }
        String ts = DuckDbTypes.quote(shape.timeColumn());
        if (shape.from() != null) {
            where.add("CAST(" + ts + " AS TIMESTAMPTZ) >= CAST(? AS TIMESTAMPTZ)");
            values.add(shape.from().toString());
        }
        if (shape.to() != null) {
            where.add("CAST(" + ts + " AS TIMESTAMPTZ) <= CAST(? AS TIMESTAMPTZ)");
            values.add(shape.to().toString());
        }
        String columns = shape.columns().stream().map(c -> "CAST(" + DuckDbTypes.quote(c.name()) + " AS " + c.type() + ") AS "
                + DuckDbTypes.quote(c.name())).collect(Collectors.joining(", "));
        String order = shape.order().isEmpty() ? "" : " ORDER BY " + shape.order().stream().map(DuckDbTypes::quote).collect(Collectors.joining(", "));
        return new Bound("SELECT " + columns + " FROM (" + from + ") AS " + ALIAS
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where)) + order, values);
    }

    /** The template over the inputs' files, its parameters bound (their values appended to {@code values}). */
    private String render(Query query, List<Object> values) {
        List<String> order = new ArrayList<>();
        String sql = query.template().render(ref -> relation(query.sources().get(ref)), p -> "CAST(? AS " + parameterType(query, p) + ")", order);
        for (String p : order) {
            values.add(query.values().get(p));
        }
        return sql;
    }

    private static String parameterType(Query query, String name) {
        TemplateParameter p = query.parameters().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("undeclared parameter " + name));
        return DuckDbTypes.of(FeatureDataType.parse(p.type()));
    }

    /** A FROM item reading the files; an empty relation of the source's columns when there are none. */
    static String relation(SourceInput input) {
        DataSource s = input.source();
        if (input.files().isEmpty()) {
            return emptyRelation(s);
        }
        String files = input.files().stream().map(p -> DuckDbTypes.literal(p.toAbsolutePath().toString()))
                .collect(Collectors.joining(", ", "[", "]"));
        String columns = s.columns().stream().filter(c -> !c.partition())
                .map(c -> DuckDbTypes.literal(c.name()) + ": " + DuckDbTypes.literal(c.type())).collect(Collectors.joining(", ", "{", "}"));
        return switch (s.format()) {
            case PARQUET -> "read_parquet(" + files + ", hive_partitioning = true, union_by_name = true)";
            case CSV -> "read_csv(" + files + ", header = true, hive_partitioning = true, auto_detect = false, columns = " + columns
                    + (s.option("delimiter") == null ? "" : ", delim = " + DuckDbTypes.literal(s.option("delimiter"))) + ")";
            case JSON -> "read_json(" + files + ", format = 'newline_delimited', hive_partitioning = true, columns = " + columns + ")";
        };
    }

    /** No rows, every column of the source with its type. */
    static String emptyRelation(DataSource s) {
        if (s.columns().isEmpty()) {
            return "(SELECT 1 AS __quiver_none LIMIT 0)";
        }
        return s.columns().stream().map(c -> "CAST(NULL AS " + c.type() + ") AS " + DuckDbTypes.quoteAny(c.name()))
                .collect(Collectors.joining(", ", "(SELECT ", " LIMIT 0)"));
    }

    /** Runs the query into a Parquet file (zstd) within the timeout. */
    private long copy(Bound bound, Path target) {
        String sql = "COPY (" + bound.sql() + ") TO " + DuckDbTypes.literal(target.toAbsolutePath().toString())
                + " (FORMAT PARQUET, COMPRESSION ZSTD)";
        try (VirtualEngine.Session session = engine.open(); PreparedStatement s = session.connection().prepareStatement(sql);
                DuckDbEngine.Deadline deadline = session.deadline(s)) {
            bind(s, bound.values());
            try {
                if (s.execute()) {
                    try (ResultSet r = s.getResultSet()) {
                        return r.next() ? r.getLong(1) : 0;
                    }
                }
                return Math.max(0, s.getUpdateCount());
            } catch (SQLException e) {
                if (deadline.expired()) {
                    throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the virtual query took longer than "
                            + session.timeout().toSeconds() + " s (quiver.virtual.query-timeout) and was stopped; narrow the read or "
                            + "make the template cheaper", e);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw failure("the virtual query failed in the query engine", e);
        }
    }

    private static void bind(PreparedStatement s, List<Object> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            Object v = values.get(i);
            s.setObject(i + 1, v instanceof Long || v instanceof String ? v : v == null ? null : v.toString());
        }
    }

    private static QuiverException failure(String what, SQLException e) {
        LOG.debugf("virtual query failure: %s", e.getMessage());
        return new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, what + " (" + message(e) + "); check the template's "
                + "columns and casts against its data sources, or report it with the request id", e);
    }

    /** DuckDB's message without the engine's internals (paths are the sandbox's own and are cut). */
    static String message(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        m = nl > 0 ? m.substring(0, nl) : m;
        m = m.replaceAll("'/[^']*'", "'<file>'").replaceAll("/[\\w./-]+", "<path>");
        return m.length() > 300 ? m.substring(0, 300) + "..." : m;
    }
}
