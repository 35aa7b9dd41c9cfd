package io.quiver.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * Builds Arrow IPC streams and Parquet files from SQL (DuckDB, in the test's own process) the way a client library
 * would send them, and reads the service's Arrow and Parquet answers back into rows of text values.
 */
public final class Columnar {

    public static final String ARROW = "application/vnd.apache.arrow.stream";
    public static final String PARQUET = "application/vnd.apache.parquet";

    private Columnar() {
    }

    /** The query's result as an Arrow IPC stream, in record batches of {@code batchRows}. */
    public static byte[] arrow(String sql, int batchRows) {
        try (BufferAllocator allocator = new RootAllocator(); Connection c = duckdb(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql);
                ArrowReader reader = (ArrowReader) r.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, batchRows)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArrowStreamWriter w = new ArrowStreamWriter(reader.getVectorSchemaRoot(), null, out)) {
                w.start();
                while (reader.loadNextBatch()) {
                    w.writeBatch();
                }
                w.end();
            }
            return out.toByteArray();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not build an Arrow stream from " + sql, e);
        }
    }

    public static byte[] arrow(String sql) {
        return arrow(sql, 1000);
    }

    /** The query's result as a Parquet file. */
    public static byte[] parquet(String sql) {
        return parquet(sql, 122_880);
    }

    /** The query's result as a Parquet file with row groups of at most {@code rowGroupSize} rows. */
    public static byte[] parquet(String sql, int rowGroupSize) {
        try (Connection c = duckdb(); Statement s = c.createStatement()) {
            Path file = Files.createTempFile("columnar", ".parquet");
            Files.delete(file);
            s.execute("COPY (" + sql + ") TO '" + file + "' (FORMAT parquet, ROW_GROUP_SIZE " + rowGroupSize + ")");
            byte[] bytes = Files.readAllBytes(file);
            Files.delete(file);
            return bytes;
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not build a Parquet file from " + sql, e);
        }
    }

    /** Rows of an Arrow IPC stream, each value as DuckDB would print it (null stays null), columns in order. */
    public static List<Map<String, String>> readArrow(byte[] stream) {
        List<Map<String, String>> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                for (int i = 0; i < root.getRowCount(); i++) {
                    Map<String, String> row = new LinkedHashMap<>();
                    for (FieldVector v : root.getFieldVectors()) {
                        Object value = v.getObject(i);
                        row.put(v.getName(), value == null ? null : value.toString());
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of an Arrow IPC stream read by DuckDB, every value cast to text by DuckDB (comparable with {@link #query}). */
    public static List<Map<String, String>> readArrowAsText(byte[] stream) {
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator);
                ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator);
                Connection c = duckdb()) {
            Data.exportArrayStream(allocator, reader, exported);
            c.unwrap(DuckDBConnection.class).registerArrowStream("answer", exported);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE answer_rows AS SELECT * FROM answer");
            }
            return rows(c, "SELECT * FROM answer_rows");
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not read the Arrow stream", e);
        }
    }

    /** The Arrow schema of a stream, as field name -> Arrow type text. */
    public static Map<String, String> arrowSchema(byte[] stream) {
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator)) {
            Map<String, String> out = new LinkedHashMap<>();
            reader.getVectorSchemaRoot().getSchema().getFields().forEach(f -> out.put(f.getName(), f.getType().toString()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of a Parquet file, each value cast to text by DuckDB (timestamps in UTC). */
    public static List<Map<String, String>> readParquet(byte[] file) {
        try {
            Path p = Files.createTempFile("answer", ".parquet");
            Files.write(p, file);
            try {
                return query("SELECT * FROM read_parquet('" + p + "')");
            } finally {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a query in a fresh DuckDB (UTC) and returns its rows, every value cast to text by DuckDB. */
    public static List<Map<String, String>> query(String sql) {
        try (Connection c = duckdb()) {
            return rows(c, sql);
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    private static List<Map<String, String>> rows(Connection c, String sql) {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT CAST(COLUMNS(*) AS VARCHAR) FROM (" + sql + ")")) {
            ResultSetMetaData m = r.getMetaData();
            List<Map<String, String>> rows = new ArrayList<>();
            while (r.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    row.put(m.getColumnName(i), r.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    private static Connection duckdb() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = c.createStatement()) {
            s.execute("SET TimeZone = 'UTC'");
        }
        return c;
    }
}
