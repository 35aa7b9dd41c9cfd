package io.quiver.columnar;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;


/**
 * Passes another reader's record batches through with one more column: each row's 0-based position in the
 * stream. DuckDB may then sort the rows while it reads them and still name the upload's own row in an error.
 * Buffers are transferred, not copied.
 */
final class RowNumberingReader extends ArrowReader {

    private final ArrowReader source;
    private final String column;
    private long next;
    private volatile String failure;

    RowNumberingReader(ArrowReader source, BufferAllocator allocator, String column) {
        super(allocator);
        this.source = source;
        this.column = column;
    }

    /** Why a batch was refused, if one was. */
    String failure() {
        return failure;
    }

    /**
     * The source's schema, read from the stream (fails here when the body is no Arrow stream, or has a type whose
     * layout is not accepted).
     */
    Schema sourceSchema() throws IOException {
        Schema schema = source.getVectorSchemaRoot().getSchema();
        for (Field f : schema.getFields()) {
            String bad = ArrowBatchCheck.unsupported(f, "");
            if (bad != null) {
                failure = bad;
                throw new IOException(bad);
            }
        }
        return schema;
    }

    @Override
    protected Schema readSchema() throws IOException {
        Schema schema = sourceSchema();
        List<Field> fields = new ArrayList<>(schema.getFields());
        fields.add(Field.notNullable(column, new ArrowType.Int(64, true)));
        return new Schema(fields, schema.getCustomMetadata());
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        prepareLoadNextBatch();
        if (!source.loadNextBatch()) {
            return false;
        }
        VectorSchemaRoot in = source.getVectorSchemaRoot();
        validate(in);
        VectorSchemaRoot out = getVectorSchemaRoot();
        int rows = in.getRowCount();
        int columns = in.getFieldVectors().size();
        for (int i = 0; i < columns; i++) {
            in.getVector(i).makeTransferPair(out.getVector(i)).transfer();
        }
        BigIntVector positions = (BigIntVector) out.getVector(columns);
        positions.allocateNew(rows);
        for (int r = 0; r < rows; r++) {
            positions.set(r, next + r);
        }
        positions.setValueCount(rows);
        out.setRowCount(rows);
        next += rows;
        return true;
    }

    /**
     * DuckDB reads the buffers through the C data interface as they are: every buffer must be as large as the batch
     * declares and every offset must lie within its data, dictionaries included, or native code would read past them.
     * Values themselves (a decimal beyond its precision, say) are the column checks' business, which name the row.
     */
    private void validate(VectorSchemaRoot root) throws IOException {
        try {
            Map<Long, Dictionary> dictionaries = source.getDictionaryVectors();
            for (Dictionary d : dictionaries.values()) {
                ArrowBatchCheck.check(d.getVector(), dictionaries);
            }
            for (org.apache.arrow.vector.FieldVector v : root.getFieldVectors()) {
                ArrowBatchCheck.check(v, dictionaries);
            }
        } catch (RuntimeException e) {
            failure = "the record batch starting at row " + next + ": " + (e instanceof IllegalStateException ? e.getMessage()
                    : "its buffers do not hold what it declares");
            throw new IOException(failure, e);
        }
    }

    @Override
    public long bytesRead() {
        return source.bytesRead();
    }

    @Override
    protected void closeReadSource() throws IOException {
        source.close();
    }

    @Override
    public Map<Long, Dictionary> getDictionaryVectors() throws IOException {
        return source.getDictionaryVectors();
    }

    @Override
    public Dictionary lookup(long id) {
        return source.lookup(id);
    }

    @Override
    public Set<Long> getDictionaryIds() {
        return source.getDictionaryIds();
    }
}
