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
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.duckdb.DuckDBConnection;

import io.quiver.error.InvalidArgumentException;

/**
 * An uploaded Arrow IPC stream or Parquet file made readable as the TEMP view {@link #VIEW} on one DuckDB
 * connection, with the upload's row number (0-based, in upload order) as column {@link #ROW}. The body is read as a
 * stream: an Arrow stream goes batch by batch into a DuckDB table (DuckDB spills to disk past its memory limit); a
 * Parquet file, which is read from its footer, is first copied to a scratch file. Neither passes through the Java
 * heap whole. A body that is not what its media type says, is truncated or corrupt gives a clear
 * {@code INVALID_ARGUMENT} naming what was wrong.
 */
public final class StagedUpload {

    /** The view over the upload. */
    public static final String VIEW = "staged";
    /** The upload's own row number. */
    public static final String ROW = "__quiver_row";

    /** One column of the upload as DuckDB reads it: its type as DuckDB spells it, and parsed. */
    public record Column(String name, String duckDbType, SourceType type) {
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
     * @param maxBatchBytes the most memory one Arrow record batch may take
     */
    public static StagedUpload stage(Connection connection, ColumnarFormat format, InputStream body, String what,
            Path scratch, long maxBatchBytes) {
        try {
            if (format == ColumnarFormat.ARROW_STREAM) {
                stageArrow(connection, body, what, maxBatchBytes);
            } else {
                stageParquet(connection, body, what, scratch);
            }
            return describe(connection);
        } catch (SQLException e) {
            throw new InvalidArgumentException(what + " could not be read as " + describe(format) + ": "
                    + firstLine(e.getMessage()) + "; send a complete, valid " + describe(format), e);
        }
    }

    private static void stageArrow(Connection connection, InputStream body, String what, long maxBatchBytes) throws SQLException {
        String stream = "upload_" + UUID.randomUUID().toString().replace("-", "");
        try (BufferAllocator allocator = new RootAllocator(maxBatchBytes);
                ArrowStreamReader reader = new ArrowStreamReader(body, allocator)) {
            try {
                reader.getVectorSchemaRoot(); // reads the schema message: a body that is no Arrow stream fails here
            } catch (IOException | RuntimeException e) {
                throw new InvalidArgumentException(what + " is not an Arrow IPC stream (" + e.getMessage()
                        + "); send the Arrow streaming format (not the file format) as " + ColumnarFormat.ARROW_MEDIA_TYPE, e);
            }
            try (ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator)) {
                Data.exportArrayStream(allocator, reader, exported);
                connection.unwrap(DuckDBConnection.class).registerArrowStream(stream, exported);
                try (Statement s = connection.createStatement()) {
                    s.execute("CREATE TEMP TABLE upload AS SELECT * FROM " + stream);
                    s.execute("CREATE TEMP VIEW " + VIEW + " AS SELECT rowid AS " + ROW + ", * FROM upload");
                } catch (SQLException e) {
                    String message = e.getMessage() == null ? "" : e.getMessage();
                    if (message.contains("Unexpected end of") || message.contains("get_next failed")) {
                        throw new InvalidArgumentException(what + " ended in the middle of the Arrow stream or holds a corrupt "
                                + "record batch (" + firstLine(message) + "); nothing was written, send the whole stream again", e);
                    }
                    if (message.contains("Unable to allocate") || message.contains("OutOfMemory")) {
                        throw new InvalidArgumentException(what + " has a record batch larger than " + (maxBatchBytes >> 20)
                                + " MiB; send smaller record batches (e.g. 64k rows each)", e);
                    }
                    throw e;
                }
            }
        } catch (IOException e) {
            throw new InvalidArgumentException(what + " could not be read: " + e.getMessage(), e);
        }
    }

    private static void stageParquet(Connection connection, InputStream body, String what, Path scratch) throws SQLException {
        Path file = scratch.resolve("upload.parquet");
        try {
            Files.copy(body, file);
        } catch (IOException e) {
            throw new InvalidArgumentException(what + " could not be received: " + e.getMessage(), e);
        }
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TEMP VIEW " + VIEW + " AS SELECT file_row_number AS " + ROW + ", * EXCLUDE (file_row_number) "
                    + "FROM read_parquet(" + DuckDbTypes.literal(file.toString()) + ", file_row_number = true)");
        }
    }

    private static StagedUpload describe(Connection connection) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (Statement s = connection.createStatement()) {
            try (ResultSet r = s.executeQuery("DESCRIBE " + VIEW)) {
                while (r.next()) {
                    String name = r.getString("column_name");
                    if (!name.equals(ROW)) {
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

    static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        String line = message.split("\n", 2)[0];
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
