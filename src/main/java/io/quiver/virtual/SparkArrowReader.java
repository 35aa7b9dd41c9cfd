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
    private long rows;
    private volatile QuiverException failure;

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

    @Override
    protected Schema readSchema() throws IOException {
        if (!nextBatch()) {
            throw new IOException("the Spark answer carried no Arrow batch");
        }
        return current.getVectorSchemaRoot().getSchema();
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
        }
        return false;
    }

    /** Moves to the next response that carries an Arrow batch, its chunks put together; false at the end. */
    private boolean nextBatch() throws IOException {
        if (current != null) {
            current.close();
            current = null;
        }
        while (responses.hasNext()) {
            ExecutePlanResponse r = responses.next();
            if (!r.hasArrowBatch()) {
                continue;
            }
            ExecutePlanResponse.ArrowBatch batch = r.getArrowBatch();
            InputStream ipc;
            if (batch.hasNumChunksInBatch() && batch.getNumChunksInBatch() > 1) {
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                batch.getData().writeTo(whole);
                for (long chunk = 1; chunk < batch.getNumChunksInBatch(); chunk++) {
                    if (!responses.hasNext()) {
                        throw new IOException("the Spark answer ended inside a chunked batch");
                    }
                    responses.next().getArrowBatch().getData().writeTo(whole);
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
