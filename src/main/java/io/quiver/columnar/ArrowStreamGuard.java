package io.quiver.columnar;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.Field;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.flatbuf.Schema;

/**
 * Checks an Arrow IPC stream's framing as it passes, before Arrow allocates anything for it: every message's declared
 * metadata length, body length, field count and nesting, record batch length, node counts and buffer ranges must lie
 * within the configured bounds and within the message itself. Arrow's reader would otherwise allocate what a message
 * claims (a 108-byte body claiming a 2 GB message exhausts the heap) and hand DuckDB buffers that do not hold what
 * their lengths say. A message that breaks a rule ends the stream with an {@link InvalidStreamException} saying what
 * was wrong; the first such message is kept in {@link #failure()} for the caller to report.
 */
final class ArrowStreamGuard extends FilterInputStream {

    /** A stream that breaks a rule; the message is fit for the client. */
    static final class InvalidStreamException extends IOException {
        InvalidStreamException(String message) {
            super(message);
        }
    }

    /** The bounds a stream must keep. */
    record Limits(int maxMetadataBytes, long maxBodyBytes, int maxColumns, long maxBatchRows) {
    }

    private static final int CONTINUATION = 0xFFFFFFFF;
    private static final int MAX_DEPTH = 32;

    private final Limits limits;
    /** Bytes of the current message's body still to pass through. */
    private long bodyLeft;
    /** The framing and metadata of the next message, checked, waiting to be handed out. */
    private ByteBuffer pending;
    private boolean ended;
    private String failure;
    private int messages;

    ArrowStreamGuard(InputStream in, Limits limits) {
        super(in);
        this.limits = limits;
    }

    /** What was wrong with the stream, if a rule was broken. */
    String failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pending == null && bodyLeft == 0) {
            if (ended) {
                return -1;
            }
            if (!nextMessage()) {
                return -1;
            }
        }
        if (pending != null) {
            int n = Math.min(len, pending.remaining());
            pending.get(b, off, n);
            if (!pending.hasRemaining()) {
                pending = null;
            }
            return n;
        }
        int n = in.read(b, off, (int) Math.min(len, bodyLeft));
        if (n < 0) {
            return fail("the stream ends inside a record batch's body; send the whole stream");
        }
        bodyLeft -= n;
        return n;
    }

    /** Reads and checks the next message's prefix and metadata; false at the end of the stream. */
    private boolean nextMessage() throws IOException {
        byte[] prefix = new byte[8];
        int got = readFully(prefix, 0, 4);
        if (got == 0) {
            ended = true;
            return false;
        }
        if (got < 4) {
            fail("the stream ends inside a message header");
        }
        int first = ByteBuffer.wrap(prefix, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int headerBytes = 4;
        int length = first;
        if (first == CONTINUATION) {
            if (readFully(prefix, 4, 4) < 4) {
                fail("the stream ends inside a message header");
            }
            length = ByteBuffer.wrap(prefix, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            headerBytes = 8;
        }
        if (length == 0) { // end-of-stream marker
            ended = true;
            pending = ByteBuffer.wrap(prefix, 0, headerBytes);
            return true;
        }
        if (length < 0 || length > limits.maxMetadataBytes()) {
            fail("message " + (messages + 1) + " declares " + Integer.toUnsignedString(length) + " bytes of metadata; at most "
                    + limits.maxMetadataBytes() + " are accepted (quiver.ingest.max-arrow-metadata-bytes)");
        }
        byte[] metadata = new byte[length];
        if (readFully(metadata, 0, length) < length) {
            fail("the stream ends inside message " + (messages + 1) + "'s metadata");
        }
        bodyLeft = check(ByteBuffer.wrap(metadata).order(ByteOrder.LITTLE_ENDIAN));
        messages++;
        ByteBuffer out = ByteBuffer.allocate(headerBytes + length);
        out.put(prefix, 0, headerBytes).put(metadata).flip();
        pending = out;
        return true;
    }

    /** Checks one message's metadata; returns its body length. */
    private long check(ByteBuffer metadata) throws IOException {
        try {
            Message message = Message.getRootAsMessage(metadata);
            long body = message.bodyLength();
            if (body < 0 || body > limits.maxBodyBytes()) {
                fail("message " + (messages + 1) + " declares a body of " + body + " bytes; a record batch may take at most "
                        + limits.maxBodyBytes() + " (quiver.ingest.max-arrow-batch-bytes): send smaller record batches");
            }
            switch (message.headerType()) {
                case MessageHeader.Schema -> {
                    if (messages > 0) {
                        fail("the stream has a second schema message; an Arrow IPC stream has one, first");
                    }
                    Schema schema = (Schema) message.header(new Schema());
                    int[] count = {0};
                    for (int i = 0; i < schema.fieldsLength(); i++) {
                        countFields(schema.fields(i), 1, count);
                    }
                }
                case MessageHeader.RecordBatch -> checkBatch((RecordBatch) message.header(new RecordBatch()), body);
                case MessageHeader.DictionaryBatch -> {
                    DictionaryBatch dictionary = (DictionaryBatch) message.header(new DictionaryBatch());
                    if (dictionary.data() == null) {
                        fail("a dictionary batch has no data");
                    }
                    checkBatch(dictionary.data(), body);
                }
                default -> fail("message " + (messages + 1) + " is neither a schema nor a record or dictionary batch (type "
                        + message.headerType() + "); send an Arrow IPC stream of record batches");
            }
            if (messages == 0 && message.headerType() != MessageHeader.Schema) {
                fail("the stream does not start with a schema message; send the Arrow IPC streaming format");
            }
            return body;
        } catch (InvalidStreamException e) {
            throw e;
        } catch (RuntimeException e) {
            // flatbuffers reads past its buffer on corrupt metadata
            return fail("message " + (messages + 1) + "'s metadata is corrupt; send a valid Arrow IPC stream");
        }
    }

    private void countFields(Field field, int depth, int[] count) throws IOException {
        if (depth > MAX_DEPTH) {
            fail("the schema nests fields more than " + MAX_DEPTH + " levels deep");
        }
        if (++count[0] > limits.maxColumns()) {
            fail("the schema has more than " + limits.maxColumns() + " fields (nested ones included)");
        }
        for (int i = 0; i < field.childrenLength(); i++) {
            countFields(field.children(i), depth + 1, count);
        }
    }

    private void checkBatch(RecordBatch batch, long body) throws IOException {
        if (batch.compression() != null) {
            fail("the stream has compressed record batches; send them uncompressed (compression is not supported)");
        }
        long rows = batch.length();
        if (rows < 0 || rows > limits.maxBatchRows()) {
            fail("a record batch declares " + rows + " rows; at most " + limits.maxBatchRows() + " per batch are accepted");
        }
        if (batch.nodesLength() > 4L * limits.maxColumns() || batch.buffersLength() > 16L * limits.maxColumns()) {
            fail("a record batch declares more columns than the schema can have");
        }
        // lengths of nested children may exceed the row count, but nothing holds more values than its body has bits
        long maxValues = Math.max(limits.maxBatchRows(), body * 8);
        FieldNode node = new FieldNode();
        for (int i = 0; i < batch.nodesLength(); i++) {
            batch.nodes(node, i);
            if (node.length() < 0 || node.length() > maxValues || node.nullCount() < 0 || node.nullCount() > node.length()) {
                fail("a record batch declares a column of " + node.length() + " values with " + node.nullCount()
                        + " nulls, which cannot be");
            }
        }
        Buffer buffer = new Buffer();
        for (int i = 0; i < batch.buffersLength(); i++) {
            batch.buffers(buffer, i);
            if (buffer.offset() < 0 || buffer.length() < 0 || buffer.offset() > body || buffer.length() > body - buffer.offset()) {
                fail("a record batch declares a buffer outside its own body; send a valid Arrow IPC stream");
            }
        }
    }

    private int readFully(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n = in.read(b, off + done, len - done);
            if (n < 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    private <T> T fail(String message) throws InvalidStreamException {
        if (failure == null) {
            failure = message;
        }
        throw new InvalidStreamException(message);
    }
}
