package io.quiver.offline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.validation.ValueChecker;
import io.quiver.serving.FeatureResolver;
import io.quiver.serving.ResolvedFeature;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Point-in-time correct feature values for training sets. For every entity row (keys + event timestamp), each
 * group contributes the row with the greatest event time at or before the entity row's timestamp, and not older
 * than the group's TTL; rows with equal event times are decided by the latest created timestamp, then by the latest
 * write. No match gives nulls. Every entity row comes back exactly once, in input order, with its own columns.
 * DuckDB runs one ASOF JOIN per group over the snapshot's files (local copies, see {@link ObjectFileCache}).
 */
@ApplicationScoped
public class HistoricalRetriever {

    private static final int MAX_LISTED = 100;
    private static final String ROW = "__row";
    private static final String TS = "__ts";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final FeatureResolver resolver;
    private final SnapshotLog snapshots;
    private final ObjectFileCache files;

    public HistoricalRetriever(FeatureResolver resolver, SnapshotLog snapshots, ObjectFileCache files) {
        this.resolver = resolver;
        this.snapshots = snapshots;
        this.files = files;
    }

    /**
     * @param asOf read each group as it was at this moment (reproducible training sets); null for the current state
     * @return one output row per entity row, in order: the entity row's columns, then one column per feature
     */
    public List<Map<String, Object>> retrieve(List<String> references, List<Map<String, Object>> entityRows,
            String timestampColumn, boolean fullFeatureNames, Instant asOf) {
        if (references == null || references.isEmpty()) {
            throw new InvalidArgumentException("name at least one feature, e.g. features: [\"customer_360.avg_ticket\"]");
        }
        if (entityRows == null || entityRows.isEmpty()) {
            throw new InvalidArgumentException("give at least one entity row (entity keys and '" + timestampColumn + "')");
        }
        // Features by group version, in request order, with their output names.
        Map<GroupSchema, List<Feature>> byGroup = new LinkedHashMap<>();
        Map<String, String> outputNames = new HashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String reference : references) {
            ResolvedFeature r = resolver.resolve(reference);
            String column = fullFeatureNames ? r.feature().group() + "__" + r.feature().name() : r.feature().name();
            if (!seen.add(column)) {
                throw new InvalidArgumentException("two requested features would both be named '" + column + "'"
                        + (fullFeatureNames ? "; each feature may be requested once" : "; set fullFeatureNames: true"));
            }
            byGroup.computeIfAbsent(r.schema(), s -> new ArrayList<>()).add(r.feature());
            outputNames.put(r.schema().group().id() + "/" + r.feature().name(), column);
        }
        Map<String, DataType> keys = keyColumns(byGroup.keySet());
        List<Map<String, Object>> parsed = entities(entityRows, keys, timestampColumn, seen);

        List<Map<String, Object>> out = new ArrayList<>(entityRows.size());
        for (Map<String, Object> row : entityRows) {
            Map<String, Object> o = new LinkedHashMap<>(row);
            seen.forEach(c -> o.put(c, null));
            out.add(o);
        }
        try (TempDirectory dir = new TempDirectory("quiver-historical");
                Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
            loadEntities(s, dir.path(), parsed, keys);
            for (Map.Entry<GroupSchema, List<Feature>> e : byGroup.entrySet()) {
                join(s, e.getKey(), e.getValue(), asOf, outputNames, out);
            }
        } catch (SQLException | IOException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "historical retrieval failed: " + e.getMessage(), e);
        }
        return out;
    }

    private static Map<String, DataType> keyColumns(Set<GroupSchema> groups) {
        Map<String, DataType> keys = new LinkedHashMap<>();
        for (GroupSchema g : groups) {
            for (JoinKey k : g.group().entityKeys()) {
                DataType previous = keys.putIfAbsent(k.name(), k.valueType());
                if (previous != null && previous != k.valueType()) {
                    throw new InvalidArgumentException("join key '" + k.name() + "' is " + previous + " in one requested group and "
                            + k.valueType() + " in '" + g.group().name() + "'; request them separately");
                }
            }
        }
        return keys;
    }

    /** Checks the entity rows and returns, per row, its typed keys and timestamp. */
    private static List<Map<String, Object>> entities(List<Map<String, Object>> rows, Map<String, DataType> keys,
            String timestampColumn, Set<String> featureColumns) {
        List<Violation> listed = new ArrayList<>();
        long total = 0;
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            Map<String, Object> typed = new LinkedHashMap<>();
            typed.put(ROW, i);
            List<Violation> problems = new ArrayList<>();
            for (Map.Entry<String, DataType> k : keys.entrySet()) {
                Object v = row.get(k.getKey());
                Object converted = key(v, k.getValue());
                if (converted == null) {
                    problems.add(new Violation("entityRows[" + i + "]." + k.getKey(), v == null ? "MISSING_KEY" : "TYPE",
                            v == null ? "every entity row needs the join key '" + k.getKey() + "'"
                                    : "'" + v + "' is not a valid " + k.getValue() + " key"));
                }
                typed.put(k.getKey(), converted);
            }
            Object ts = row.get(timestampColumn);
            try {
                typed.put(TS, Instant.parse(ValueChecker.normalize(
                        FeatureDataType.scalar(DataType.TIMESTAMP), (String) ts)).toString());
            } catch (ClassCastException | NullPointerException | IllegalArgumentException | DateTimeParseException e) {
                problems.add(new Violation("entityRows[" + i + "]." + timestampColumn, ts == null ? "MISSING_TIMESTAMP" : "TYPE",
                        "every entity row needs '" + timestampColumn + "' as ISO-8601 text, e.g. 2026-01-31T12:00:00Z"));
            }
            for (String c : featureColumns) {
                if (row.containsKey(c)) {
                    problems.add(new Violation("entityRows[" + i + "]." + c, "COLUMN_COLLISION",
                            "the entity row already has a column named like the requested feature '" + c
                                    + "'; rename it or use fullFeatureNames"));
                }
            }
            total += problems.size();
            problems.stream().limit(Math.max(0, MAX_LISTED - listed.size())).forEach(listed::add);
            out.add(typed);
        }
        if (total > 0) {
            throw new SchemaValidationException("The entity rows", listed, total);
        }
        return out;
    }

    private static Object key(Object v, DataType type) {
        if (type == DataType.STRING) {
            return v instanceof String s ? s : null;
        }
        if (v instanceof BigInteger || v instanceof Long || v instanceof Integer) {
            BigInteger i = new BigInteger(v.toString());
            long min = type == DataType.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long max = type == DataType.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
            return i.compareTo(BigInteger.valueOf(min)) >= 0 && i.compareTo(BigInteger.valueOf(max)) <= 0 ? i.longValue() : null;
        }
        if (v instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0) {
            return key(d.toBigIntegerExact(), type);
        }
        return null;
    }

    private static void loadEntities(Statement s, Path dir, List<Map<String, Object>> rows, Map<String, DataType> keys)
            throws IOException, SQLException {
        Path json = dir.resolve("entities.ndjson");
        try (BufferedWriter w = Files.newBufferedWriter(json)) {
            for (Map<String, Object> row : rows) {
                w.write(JSON.writeValueAsString(row));
                w.write('\n');
            }
        }
        List<String> columns = new ArrayList<>();
        columns.add(ROW + ": 'BIGINT'");
        keys.forEach((k, t) -> columns.add(DuckDbTypes.quote(k) + ": '" + DuckDbTypes.of(FeatureDataType.scalar(t)) + "'"));
        columns.add(TS + ": 'TIMESTAMPTZ'");
        s.execute("CREATE TABLE entity AS SELECT * FROM read_json(" + DuckDbTypes.literal(json.toString())
                + ", format = 'newline_delimited', columns = {" + String.join(", ", columns) + "})");
    }

    private void join(Statement s, GroupSchema schema, List<Feature> features, Instant asOf,
            Map<String, String> outputNames, List<Map<String, Object>> out) throws SQLException {
        FeatureGroup g = schema.group();
        Optional<Snapshot> snapshot = asOf == null ? snapshots.current(g.name(), g.version())
                : snapshots.asOf(g.name(), g.version(), asOf);
        if (snapshot.isEmpty() || snapshot.get().files().isEmpty()) {
            return; // nothing written (as of then): every value stays null
        }
        List<String> paths = snapshot.get().files().stream().map(f -> files.get(f.key()).toString()).toList();
        String fileList = paths.stream().map(DuckDbTypes::literal).collect(Collectors.joining(", ", "[", "]"));
        List<String> keyColumns = g.entityKeys().stream().map(k -> DuckDbTypes.quote(k.name())).toList();
        String ts = DuckDbTypes.quote(g.eventTimestampColumn());
        String created = g.createdTimestampColumn() == null ? "NULL" : DuckDbTypes.quote(g.createdTimestampColumn());
        String projected = features.stream().map(f -> "f." + DuckDbTypes.quote(f.name())).collect(Collectors.joining(", "));
        String values = features.stream().map(f -> "'" + f.name() + "': " + (f.dataTypeDetail().base() == DataType.TIMESTAMP
                ? "strftime(l." + DuckDbTypes.quote(f.name()) + ", '%Y-%m-%dT%H:%M:%S.%fZ')" : "l." + DuckDbTypes.quote(f.name())))
                .collect(Collectors.joining(", ", "{", "}"));
        String ttl = g.ttlSeconds() > 0 ? " AND l." + TS + " >= e." + TS + " - INTERVAL " + g.ttlSeconds() + " SECOND" : "";
        String on = keyColumns.stream().map(k -> "e." + k + " = l." + k).collect(Collectors.joining(" AND "));
        // Per (keys, event time) keep one row: latest created time, then the latest write (later file, later row).
        String sql = "WITH f AS (SELECT *, list_position(" + fileList + ", filename) AS __file FROM read_parquet(" + fileList
                + ", filename = true, file_row_number = true)), "
                + "l AS (SELECT " + String.join(", ", keyColumns.stream().map(k -> "f." + k).toList()) + ", CAST(f." + ts
                + " AS TIMESTAMPTZ) AS " + TS + ", " + projected + " FROM f QUALIFY row_number() OVER (PARTITION BY "
                + String.join(", ", keyColumns.stream().map(k -> "f." + k).toList()) + ", f." + ts + " ORDER BY "
                + (g.createdTimestampColumn() == null ? "" : "f." + created + " DESC NULLS LAST, ")
                + "f.__file DESC, f.file_row_number DESC) = 1) "
                + "SELECT e." + ROW + ", CASE WHEN l." + TS + " IS NOT NULL" + ttl + " THEN to_json(" + values + ") END "
                + "FROM entity e ASOF LEFT JOIN l ON " + on + " AND e." + TS + " >= l." + TS;
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                String json = r.getString(2);
                if (json == null) {
                    continue;
                }
                Map<String, Object> row = out.get(r.getInt(1));
                Map<String, Object> values2 = parse(json);
                for (Feature f : features) {
                    row.put(outputNames.get(g.id() + "/" + f.name()), values2.get(f.name()));
                }
            }
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("DuckDB returned invalid JSON: " + json, e);
        }
    }
}
