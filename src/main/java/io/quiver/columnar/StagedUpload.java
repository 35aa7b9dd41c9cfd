package io.quiver.columnar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.duckdb.DuckDBConnection;

import io.quiver.error.ErrorCode;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * An uploaded Arrow IPC stream or Parquet file made readable as the TEMP view {@link #VIEW} on one DuckDB
 * connection, with the upload's own row number (0-based, in upload order) as column {@link #ROW} and each row's
 * position in the view as {@link #POSITION}. The body is read as a stream: an Arrow stream goes batch by batch into
 * a DuckDB table (DuckDB spills to disk past its memory limit); a Parquet file, which is read from its footer, is
 * first copied to a scratch file. Neither passes through the Java heap whole. Given sort columns, the rows are
 * sorted while they are staged, so positions follow that order. A body that is not what its media type says, is
 * truncated or corrupt gives a clear {@code INVALID_ARGUMENT} naming what was wrong.
 */
public final class StagedUpload {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(StagedUpload.class);

    /** The view over the upload. */
    public static final String VIEW = "staged";
    /** The upload's own row number. */
    public static final String ROW = "__quiver_row";
    /** The row's position in the view (its sort order when sorted). */
    public static final String POSITION = "__quiver_pos";

    /** One column of the upload as DuckDB reads it: its type as DuckDB spells it, and parsed. */
    public record Column(String name, String duckDbType, SourceType type) {
    }

    /** A column to sort by when present in the upload, as the type it will be stored in (DuckDB spelling). */
    public record SortColumn(String name, String duckDbType) {
    }

    /**
     * Bounds every declared size of an upload is checked against before anything is allocated for it.
     *
     * @param maxBatchBytes most memory one Arrow record batch may take
     * @param maxMetadataBytes most bytes of one Arrow message's metadata (or of a Parquet footer)
     * @param maxColumns most fields of a schema, nested ones included
     * @param maxBatchRows most rows of one Arrow record batch
     */
    public record Limits(long maxBatchBytes, int maxMetadataBytes, int maxColumns, long maxBatchRows) {
        public static Limits of(io.quiver.config.QuiverConfig config) {
            var i = config.ingest();
            return new Limits(i.maxArrowBatchBytes(), i.maxArrowMetadataBytes(), i.maxColumns(), i.maxArrowBatchRows());
        }
    }

    private final List<Column> columns;
    private final long rows;

    private StagedUpload(List<Column> columns, long rows) {
        this.columns = List.copyOf(columns);
        this.rows = rows;
    }

    public List<Column> columns() {
        return columns;
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public long rows() {
        return rows;
    }

    /**
     * Stages the body on the connection.
     *
     * @param what how error messages name the body, e.g. "the upload"
     * @param scratch a private directory for scratch files, removed by the caller
     * @param limits the bounds of declared sizes (checked before anything is allocated for them)
     * @param sortBy columns to sort by, in order; those the upload lacks are skipped (none: upload order)
     */
    public static StagedUpload stage(Connection connection, ColumnarFormat format, InputStream body, String what,
            Path scratch, Limits limits, List<SortColumn> sortBy) {
        try {
            if (format == ColumnarFormat.ARROW_STREAM) {
                stageArrow(connection, body, what, limits, sortBy);
            } else {
                stageParquet(connection, body, what, scratch, limits, sortBy);
            }
            StagedUpload upload = describe(connection);
            TemporalRange.check(connection, upload, what.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + what.substring(1), true);
            return upload;
        } catch (SQLException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("Out of Memory") || message.contains("No space left") || message.contains("Could not write file")) {
                // the service's limits, not the client's data
                throw new QuiverException(ErrorCode.SERVICE_BUSY, "the service ran out of memory or scratch disk staging " + what
                        + "; retry later, send it in smaller parts, or raise quiver.duckdb.memory-limit", e);
            }
            // DuckDB's own words name scratch paths: the log has them, the client gets what to do
            LOG.infof("%s could not be read: %s", what, message.split("\n", 2)[0]);
            throw new InvalidArgumentException(what + " could not be read as " + describe(format) + " (it is truncated, corrupt or "
                    + "not " + describe(format) + "); send a complete, valid " + describe(format), e);
        }
    }

    private static void stageArrow(Connection connection, InputStream body, String what, Limits limits, List<SortColumn> sortBy)
            throws SQLException {
        String stream = "upload_" + UUID.randomUUID().toString().replace("-", "");
        ArrowStreamGuard guard = new ArrowStreamGuard(body, new ArrowStreamGuard.Limits(limits.maxMetadataBytes(), limits.maxBatchBytes(),
                limits.maxColumns(), limits.maxBatchRows()));
        try (BufferAllocator allocator = new RootAllocator(limits.maxBatchBytes() * 2 + limits.maxMetadataBytes());
                RowNumberingReader reader = new RowNumberingReader(new ArrowStreamReader(new InputStreamChannel(guard), allocator), allocator, ROW)) {
            Map<String, Boolean> names = new LinkedHashMap<>();
            try {
                // reads the schema message: a body that is no Arrow stream fails here
                reader.sourceSchema().getFields().forEach(f -> names.put(f.getName(),
                        f.getType() instanceof ArrowType.Timestamp || f.getType() instanceof ArrowType.Date));
            } catch (IOException | RuntimeException e) {
                String why = guard.failure() != null ? guard.failure() : reader.failure();
                throw new InvalidArgumentException(what + " is not an Arrow IPC stream it can take" + (why != null ? " (" + why + ")" : "")
                        + "; send the Arrow streaming format (not the file format) as " + ColumnarFormat.ARROW_MEDIA_TYPE, e);
            }
            try (ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator)) {
                Data.exportArrayStream(allocator, reader, exported);
                try {
                    connection.unwrap(DuckDBConnection.class).registerArrowStream(stream, exported);
                } catch (RuntimeException e) {
                    throw new InvalidArgumentException(what + " has a schema the query engine cannot take (field names and types "
                            + "must be valid Arrow); send a valid Arrow IPC stream", e);
                }
                try (Statement s = connection.createStatement()) {
                    s.execute("CREATE TEMP TABLE upload AS SELECT * FROM " + stream + orderBy(sortBy, names));
                    s.execute("CREATE TEMP VIEW " + VIEW + " AS SELECT rowid AS " + POSITION + ", * FROM upload");
                } catch (SQLException e) {
                    if (guard.failure() != null) {
                        throw new InvalidArgumentException(what + " is not a valid Arrow IPC stream: " + guard.failure()
                                + "; nothing was written", e);
                    }
                    if (reader.failure() != null) {
                        throw new InvalidArgumentException(what + " holds a corrupt record batch: " + reader.failure()
                                + "; nothing was written, send a valid stream", e);
                    }
                    String message = e.getMessage() == null ? "" : e.getMessage();
                    if (message.contains("Unable to allocate") || message.contains("OutOfMemory")) {
                        throw new InvalidArgumentException(what + " has a record batch larger than " + (limits.maxBatchBytes() >> 20)
                                + " MiB; send smaller record batches (e.g. 64k rows each)", e);
                    }
                    if (message.contains("Unexpected end of") || message.contains("get_next failed")) {
                        throw new InvalidArgumentException(what + " ended in the middle of the Arrow stream or holds a corrupt "
                                + "record batch; nothing was written, send the whole stream again", e);
                    }
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new InvalidArgumentException(what + " could not be read" + (guard.failure() != null ? ": " + guard.failure() : "")
                    + "; send a complete, valid Arrow IPC stream", e);
        }
    }

    private static void stageParquet(Connection connection, InputStream body, String what, Path scratch, Limits limits,
            List<SortColumn> sortBy) throws SQLException {
        Path file = scratch.resolve("upload.parquet");
        try {
            Files.copy(body, file);
        } catch (IOException e) {
            throw new InvalidArgumentException(what + " could not be received completely; send it again", e);
        }
        ParquetFooter.check(file, what, limits.maxMetadataBytes());
        String source = "SELECT file_row_number AS " + ROW + ", * EXCLUDE (file_row_number) FROM read_parquet("
                + DuckDbTypes.literal(file.toString()) + ", file_row_number = true)";
        try (Statement s = connection.createStatement()) {
            try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM read_parquet(" + DuckDbTypes.literal(file.toString()) + ")")) {
                while (r.next()) {
                    if (r.getString("column_name").equalsIgnoreCase("file_row_number")) {
                        throw new InvalidArgumentException(what + " has a column named 'file_row_number', which is reserved (no group can "
                                + "have it); drop or rename it");
                    }
                }
            }
            if (sortBy.isEmpty()) {
                // read whole now, as the Arrow path does: a corrupt page fails here, as the client's error, not in a later check
                s.execute("CREATE TEMP TABLE upload AS " + source);
                s.execute("CREATE TEMP VIEW " + VIEW + " AS SELECT " + ROW + " AS " + POSITION + ", * FROM upload");
                return;
            }
            Map<String, Boolean> names = new LinkedHashMap<>();
            try (ResultSet r = s.executeQuery("DESCRIBE " + source)) {
                while (r.next()) {
                    String type = r.getString("column_type");
                    names.put(r.getString("column_name"), type.startsWith("TIMESTAMP") || type.equals("DATE"));
                }
            }
            s.execute("CREATE TEMP TABLE upload AS " + source + orderBy(sortBy, names));
            s.execute("CREATE TEMP VIEW " + VIEW + " AS SELECT rowid AS " + POSITION + ", * FROM upload");
        }
    }

    /**
     * ORDER BY the sort columns the upload has, each converted as it will be stored (TRY_: bad values sort last; dates and
     * timestamps as they are, which orders them the same), then
     * the upload's own order, so that of two rows equal in every sort column the later one is later in the file too
     * (DuckDB's sort is not stable): readers then take the upload's last row.
     */
    private static String orderBy(List<SortColumn> sortBy, Map<String, Boolean> present) {
        List<String> terms = new ArrayList<>();
        for (SortColumn c : sortBy) {
            Boolean temporal = present.get(c.name());
            if (temporal == null) {
                continue;
            }
            // dates and timestamps sort as they are: casting a coarse one that overflows breaks DuckDB (see TemporalRange)
            terms.add(temporal ? DuckDbTypes.quoteAny(c.name()) : "TRY_CAST(" + DuckDbTypes.quoteAny(c.name()) + " AS " + c.duckDbType() + ")");
        }
        return terms.isEmpty() ? "" : " ORDER BY " + String.join(", ", terms) + ", " + ROW;
    }

    private static StagedUpload describe(Connection connection) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            try (ResultSet r = s.executeQuery("DESCRIBE " + VIEW)) {
                while (r.next()) {
                    String name = r.getString("column_name");
                    if (!name.equals(ROW) && !name.equals(POSITION)) {
                        String type = r.getString("column_type");
                        columns.add(new Column(name, type, SourceType.parse(type)));
                    }
                }
            }
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + VIEW)) {
                r.next();
                return new StagedUpload(columns, r.getLong(1));
            }
        }
    }

    private static String describe(ColumnarFormat format) {
        return format == ColumnarFormat.ARROW_STREAM ? "an Arrow IPC stream" : "a Parquet file";
    }

}
