package io.quiver.virtual;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.connect.proto.ExecutePlanResponse;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/**
 * A Spark Connect answer as one Arrow stream, for DuckDB to read through the C data interface as it arrives. Spark
 * sends an answer as a sequence of responses, each carrying an Arrow IPC stream of its own (its schema and a record
 * batch, possibly cut into chunks); this reader reads each in turn and hands its batches on, buffers transferred, not
 * copied, so that only the batch being read is held here. Past {@code limit} rows it stops with REQUEST_TOO_LARGE.
 */
final class SparkArrowReader extends ArrowReader {

    private final Iterator<ExecutePlanResponse> responses;
    private final long limit;
    private ArrowStreamReader current;
    private volatile long rows;
    private Schema schema;
    private volatile QuiverException failure;
    private volatile RuntimeException sparkFailure;

    SparkArrowReader(Iterator<ExecutePlanResponse> responses, BufferAllocator allocator, long limit) {
        super(allocator);
        this.responses = responses;
        this.limit = limit;
    }

    /** Rows read so far. */
    long rows() {
        return rows;
    }

    /** Why reading stopped early, if it did (the reader's own refusal; DuckDB sees only that the stream failed). */
    QuiverException failure() {
        return failure;
    }

    /** Spark's own error, if the answer failed on the server while it streamed (DuckDB sees only that the stream failed). */
    RuntimeException sparkFailure() {
        return sparkFailure;
    }

    @Override
    protected Schema readSchema() throws IOException {
        if (!nextBatch()) {
            throw new IOException("the Spark answer carried no Arrow batch");
        }
        schema = current.getVectorSchemaRoot().getSchema();
        return schema;
    }

    @Override
    public boolean loadNextBatch() throws IOException {
        prepareLoadNextBatch();
        while (current != null) {
            if (current.loadNextBatch()) {
                VectorSchemaRoot in = current.getVectorSchemaRoot();
                VectorSchemaRoot out = getVectorSchemaRoot();
                int n = in.getRowCount();
                if (rows + n > limit) {
                    failure = new QuiverException(ErrorCode.REQUEST_TOO_LARGE, "the Spark answer has more than " + limit + " rows "
                            + "(quiver.spark.max-result-rows); narrow the work");
                    throw new IOException(failure.getMessage());
                }
                for (int i = 0; i < in.getFieldVectors().size(); i++) {
                    in.getVector(i).makeTransferPair(out.getVector(i)).transfer();
                }
                out.setRowCount(n);
                rows += n;
                return true;
            }
            if (!nextBatch()) {
                return false;
            }
            if (!current.getVectorSchemaRoot().getSchema().equals(schema)) {
                throw new IOException("a batch of the Spark answer has another schema than the first");
            }
        }
        return false;
    }

    /** Moves to the next response that carries an Arrow batch, its chunks put together; false at the end. */
    private boolean nextBatch() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
        ExecutePlanResponse r;
        while ((r = next()) != null) {
            if (!r.hasArrowBatch()) {
                continue;
            }
            ExecutePlanResponse.ArrowBatch batch = r.getArrowBatch();
            InputStream ipc;
            if (batch.hasNumChunksInBatch() && batch.getNumChunksInBatch() > 1) {
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                batch.getData().writeTo(whole);
                for (long chunk = 1; chunk < batch.getNumChunksInBatch(); chunk++) {
                    ExecutePlanResponse part = next();
                    if (part == null || !part.hasArrowBatch() || part.getArrowBatch().getChunkIndex() != chunk) {
                        throw new IOException("the Spark answer broke off inside a batch sent in chunks");
                    }
                    part.getArrowBatch().getData().writeTo(whole);
                }
                ipc = new java.io.ByteArrayInputStream(whole.toByteArray());
            } else {
                ipc = batch.getData().newInput();
            }
            current = new ArrowStreamReader(ipc, allocator);
            return true;
        }
        return false;
    }

    /** The next response, or null at the end; Spark's error (the query failed on the server) is kept for the caller. */
    private ExecutePlanResponse next() throws IOException {
        try {
            return responses.hasNext() ? responses.next() : null;
        } catch (RuntimeException e) {
            sparkFailure = e;
            throw new IOException("the Spark answer failed on the server", e);
        }
    }

    @Override
    public long bytesRead() {
        return 0;
    }

    @Override
    protected void closeReadSource() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
