package io.quiver.offline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.columnar.StagedUpload;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes a group version's data files with DuckDB: zstd-compressed Parquet, sorted by entity keys, then event time,
 * then created time, one column per key, timestamp and feature in the registered types. Small JSON batches become one
 * file (the rows pass through newline-delimited JSON read back with explicit column types, which keeps DECIMALs exact
 * and instants in UTC); bulk uploads, sorted while they were staged, are cut into files of
 * {@code quiver.offline.file-rows} rows, each handed over as soon as it is complete so that uploading overlaps writing.
 */
@ApplicationScoped
public class ParquetFileWriter {

    /** DuckDB's default row group (122,880 rows): large enough to compress well, small enough to skip. */
    static final int ROW_GROUP_SIZE = 122_880;

    private final ObjectMapper mapper;
    /** A batch row's position, carried through the sort only. */
    private static final String SEQUENCE = "__quiver_seq";

    private final DuckDbEngine engine;
    private final int compressionLevel;
    private final long fileRows;

    public ParquetFileWriter(DuckDbEngine engine, QuiverConfig config, ObjectMapper mapper) {
        this.engine = engine;
        this.mapper = mapper;
        this.compressionLevel = config.offline().zstdLevel();
        this.fileRows = config.offline().fileRows();
    }

    /** What was written, with the statistics a snapshot keeps per file (the first entity key's range as text). */
    public record Written(Path file, long rows, long bytes, Instant minEventTime, Instant maxEventTime, String minKey, String maxKey) {
    }

    public Written write(GroupSchema schema, List<Map<String, Object>> rows, Path dir) {
        FeatureGroup g = schema.group();
        Map<String, FeatureDataType> columns = columns(schema);
        Path json = dir.resolve("rows.ndjson");
        Path parquet = dir.resolve("data.parquet");
        try {
            try (BufferedWriter out = Files.newBufferedWriter(json)) {
                long seq = 0;
                for (Map<String, Object> row : rows) {
                    Map<String, Object> encoded = new LinkedHashMap<>();
                    columns.keySet().forEach(c -> encoded.put(c, encode(row.get(c))));
                    encoded.put(SEQUENCE, seq++);
                    out.write(mapper.writeValueAsString(encoded));
                    out.write('\n');
                }
            }
            List<String> typed = new ArrayList<>();
            columns.forEach((name, type) -> typed.add(DuckDbTypes.quote(name) + ": " + DuckDbTypes.literal(DuckDbTypes.of(type))));
            typed.add(SEQUENCE + ": 'BIGINT'");
            // the batch's own order last: of two rows equal in every sort column, the later stays later (readers take it)
            String select = "SELECT " + columns.keySet().stream().map(DuckDbTypes::quote).collect(Collectors.joining(", "))
                    + " FROM read_json(" + DuckDbTypes.literal(json.toString()) + ", format = 'newline_delimited', columns = {"
                    + String.join(", ", typed) + "}) ORDER BY " + sortOrder(g) + ", " + SEQUENCE;
            return copy(g, select, parquet);
        } catch (IOException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not write the Parquet file for "
                    + g.name() + " version " + g.version() + " in the query engine; nothing was committed, retry the write", e);
        } finally {
            try {
                Files.deleteIfExists(json);
            } catch (IOException ignored) {
                // a temporary file in the caller's temporary directory, which the caller removes
            }
        }
    }

    /**
     * Copies a data file without its rows whose event time lies in [start, end), for a backfill.
     *
     * @return the new file's statistics, or empty when no row is left
     */
    public Optional<Written> rewriteWithout(GroupSchema schema, Path source, Instant start, Instant end, Path target) {
        String ts = "CAST(" + DuckDbTypes.quote(schema.group().eventTimestampColumn()) + " AS TIMESTAMPTZ)";
        String keep = "NOT (" + ts + " >= " + timestamp(start) + " AND " + ts + " < " + timestamp(end) + ")";
        Written w = copy(schema.group(), "SELECT * FROM read_parquet(" + DuckDbTypes.literal(source.toString()) + ") WHERE " + keep, target);
        return w.rows() == 0 ? Optional.empty() : Optional.of(w);
    }

    /** Merges data files into one, sorted like a fresh write, ties kept in write order (for compaction). */
    public Written merge(GroupSchema schema, List<Path> sources, Path target) {
        try (Connection c = engine.connect()) {
            SnapshotScan scan = SnapshotScan.of(c, schema, sources);
            String columns = columns(schema).keySet().stream().map(DuckDbTypes::quote).collect(Collectors.joining(", "));
            // every column of the version (files older than a feature get nulls), rows of equal keys and times in write order
            return copy(c, schema.group(), "SELECT " + columns + " FROM " + scan.relation() + " ORDER BY " + sortOrder(schema.group())
                    + ", " + scan.writeOrder(), target);
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not merge the files of "
                    + schema.group().name() + " version " + schema.group().version() + " in the query engine; nothing was committed", e);
        }
    }

    /** Files are sorted by entity keys, then event time, then created time: readers find an entity's rows together. */
    private static String sortOrder(FeatureGroup g) {
        List<String> order = new ArrayList<>();
        g.entityKeys().forEach(k -> order.add(DuckDbTypes.quote(k.name())));
        order.add(DuckDbTypes.quote(g.eventTimestampColumn()));
        if (g.createdTimestampColumn() != null) {
            order.add(DuckDbTypes.quote(g.createdTimestampColumn()));
        }
        return String.join(", ", order);
    }

    /**
     * Writes the rows of a staged upload, which is already in sort order, as consecutive files of at most
     * {@code quiver.offline.file-rows} rows: together they are one sorted run. {@code select} reads the staged view
     * and gives stored columns; files are cut by the view's position column. Each file is passed to {@code onFile}
     * as soon as it is complete, so that its upload overlaps writing the next.
     */
    public List<Written> writeSlices(Connection c, FeatureGroup g, String select, long rows, Path dir, Consumer<Written> onFile) {
        List<Written> out = new ArrayList<>();
        for (long start = 0, part = 0; start < rows; start += fileRows, part++) {
            Written w = copy(c, g, select + " WHERE " + StagedUpload.POSITION + " >= " + start + " AND " + StagedUpload.POSITION
                    + " < " + (start + fileRows), dir.resolve("part-" + part + ".parquet"));
            out.add(w);
            onFile.accept(w);
        }
        return out;
    }

    /** Runs the query into a Parquet file on a connection of its own. */
    private Written copy(FeatureGroup g, String select, Path target) {
        try (Connection c = engine.connect()) {
            return copy(c, g, select, target);
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not write a Parquet file of "
                    + g.name() + " version " + g.version() + " in the query engine; nothing was committed, retry the write", e);
        }
    }

    /** Runs the query into a Parquet file (zstd, fixed row groups) and reads back the file's statistics. */
    private Written copy(Connection c, FeatureGroup g, String select, Path target) {
        String ts = "CAST(" + DuckDbTypes.quote(g.eventTimestampColumn()) + " AS TIMESTAMPTZ)";
        String key = DuckDbTypes.quote(g.entityKeys().get(0).name());
        try (Statement s = c.createStatement()) {
            s.execute("COPY (" + select + ") TO " + DuckDbTypes.literal(target.toString())
                    + " (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL " + compressionLevel + ", ROW_GROUP_SIZE " + ROW_GROUP_SIZE + ")");
            try (ResultSet r = s.executeQuery("SELECT count(*), min(" + ts + "), max(" + ts + "), CAST(min(" + key + ") AS VARCHAR), "
                    + "CAST(max(" + key + ") AS VARCHAR) FROM read_parquet(" + DuckDbTypes.literal(target.toString()) + ")")) {
                r.next();
                return new Written(target, r.getLong(1), Files.size(target), instant(r.getObject(2)), instant(r.getObject(3)),
                        r.getString(4), r.getString(5));
            }
        } catch (IOException | SQLException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not write a Parquet file of "
                    + g.name() + " version " + g.version() + " in the query engine; nothing was committed, retry the write", e);
        }
    }

    private static String timestamp(Instant t) {
        return "TIMESTAMPTZ " + DuckDbTypes.literal(t.toString());
    }

    /** A version's data file layout: key columns, event and created timestamps, then features, in that order. */
    public static Map<String, FeatureDataType> columns(GroupSchema schema) {
        FeatureGroup g = schema.group();
        Map<String, FeatureDataType> columns = new LinkedHashMap<>();
        for (JoinKey k : g.entityKeys()) {
            columns.put(k.name(), FeatureDataType.scalar(k.valueType()));
        }
        columns.put(g.eventTimestampColumn(), FeatureDataType.scalar(g.eventTimestampType()));
        if (g.createdTimestampColumn() != null) {
            columns.put(g.createdTimestampColumn(), FeatureDataType.scalar(g.createdTimestampType()));
        }
        for (Feature f : schema.features()) {
            columns.put(f.name(), f.dataTypeDetail());
        }
        return columns;
    }

    /** JSON-encodable form: exact decimals and temporal values as text, map keys as text. */
    private static Object encode(Object v) {
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Instant || v instanceof LocalDate) {
            return v.toString();
        }
        if (v instanceof List<?> list) {
            return list.stream().map(ParquetFileWriter::encode).toList();
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, val) -> out.put(String.valueOf(k), encode(val)));
            return out;
        }
        return v;
    }

    private static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        if (v instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected event time value " + v.getClass());
    }
}
