package io.quiver.columnar;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.duckdb.DuckDBResultSet;

/** Writes a DuckDB query's result to a stream as an Arrow IPC stream or a Parquet file, batch by batch. */
public final class ColumnarOutput {

    /** Rows per Arrow record batch. */
    static final int ARROW_BATCH_ROWS = 64 * 1024;

    private ColumnarOutput() {
    }

    /**
     * @param scratch a private directory (Parquet is written there first: its footer comes last)
     */
    public static void write(Connection connection, String query, ColumnarFormat format, OutputStream out, Path scratch)
            throws SQLException, IOException {
        if (format == ColumnarFormat.PARQUET) {
            Path file = scratch.resolve("result.parquet");
            try (Statement s = connection.createStatement()) {
                s.execute("COPY (" + query + ") TO " + DuckDbTypes.literal(file.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
            }
            Files.copy(file, out);
            return;
        }
        try (BufferAllocator allocator = new RootAllocator();
                Statement s = connection.createStatement();
                ResultSet r = s.executeQuery(query);
                ArrowReader reader = (ArrowReader) r.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, ARROW_BATCH_ROWS);
                ArrowStreamWriter writer = new ArrowStreamWriter(reader.getVectorSchemaRoot(), null, out)) {
            writer.start();
            while (reader.loadNextBatch()) {
                writer.writeBatch();
            }
            writer.end();
        }
    }
}
