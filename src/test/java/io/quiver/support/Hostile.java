package io.quiver.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;

/**
 * Arrow IPC streams a careless or hostile client could send: well framed, but with buffers that do not hold what
 * the batch declares (offsets going back or past the data, dictionary indices past the dictionary), or framing that
 * claims sizes no body has. Arrow's writer copies buffers as they are, so each is built by corrupting vectors.
 */
public final class Hostile {

    private Hostile() {
    }

    /** A 108-byte body whose first message claims almost 2 GB of metadata. */
    public static byte[] hugeFirstMessage() {
        ByteBuffer b = ByteBuffer.allocate(108).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xFFFFFFFF).putInt(0x7FFFFFF0);
        while (b.hasRemaining()) {
            b.put((byte) 0x41);
        }
        return b.array();
    }

    /** customer_id BIGINT, event_timestamp, name VARCHAR; {@code corrupt} changes the vectors after they were filled. */
    public static byte[] withNames(int rows, Consumer<VarCharVector> corrupt) {
        try (BufferAllocator allocator = new RootAllocator()) {
            BigIntVector id = new BigIntVector("customer_id", allocator);
            TimeStampMicroTZVector ts = new TimeStampMicroTZVector("event_timestamp", allocator, "UTC");
            VarCharVector name = new VarCharVector("name", allocator);
            for (int i = 0; i < rows; i++) {
                id.setSafe(i, i);
                ts.setSafe(i, 1_767_225_600_000_000L);
                name.setSafe(i, ("n" + i).getBytes(StandardCharsets.UTF_8));
            }
            id.setValueCount(rows);
            ts.setValueCount(rows);
            name.setValueCount(rows);
            corrupt.accept(name);
            try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(id, ts, name))) {
                return write(root, null);
            }
        }
    }

    /** Offsets that go back in the middle of the column. */
    public static byte[] offsetsGoingBack() {
        return withNames(100, v -> v.getOffsetBuffer().setInt(50L * 4, 1_000));
    }

    /**
     * A last offset far past the data buffer. Arrow's writer reads the offsets to size the data it writes, so the
     * serialized stream is patched instead: the names n0..n99 end at offset 290, after 287.
     */
    public static byte[] offsetsPastTheData() {
        byte[] stream = withNames(100, v -> { });
        ByteBuffer b = ByteBuffer.wrap(stream).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 8 <= stream.length; i += 4) {
            if (b.getInt(i) == 287 && b.getInt(i + 4) == 290) {
                return withInt(stream, i + 4, 1 << 30);
            }
        }
        throw new IllegalStateException("the offsets were not found in the stream");
    }

    /** A dictionary-encoded column naming entry 99 of a dictionary of 3. */
    public static byte[] dictionaryIndexPastTheDictionary() {
        try (BufferAllocator allocator = new RootAllocator()) {
            VarCharVector words = new VarCharVector("dict", allocator);
            for (int i = 0; i < 3; i++) {
                words.setSafe(i, ("w" + i).getBytes(StandardCharsets.UTF_8));
            }
            words.setValueCount(3);
            DictionaryEncoding encoding = new DictionaryEncoding(1L, false, new ArrowType.Int(32, true));
            DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(new Dictionary(words, encoding));
            BigIntVector id = new BigIntVector("customer_id", allocator);
            TimeStampMicroTZVector ts = new TimeStampMicroTZVector("event_timestamp", allocator, "UTC");
            IntVector name = new IntVector("name", new FieldType(true, new ArrowType.Int(32, true), encoding), allocator);
            for (int i = 0; i < 10; i++) {
                id.setSafe(i, i);
                ts.setSafe(i, 1_767_225_600_000_000L);
                name.setSafe(i, i == 7 ? 99 : i % 3);
            }
            id.setValueCount(10);
            ts.setValueCount(10);
            name.setValueCount(10);
            try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(id.getField(), ts.getField(), name.getField()), List.of(id, ts, name))) {
                byte[] out = write(root, provider);
                words.close();
                return out;
            }
        }
    }

    private static byte[] write(VectorSchemaRoot root, DictionaryProvider provider) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ArrowStreamWriter w = new ArrowStreamWriter(root, provider, out)) {
            w.start();
            w.writeBatch();
            w.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * customer_id BIGINT and event_timestamp as Arrow timestamp[s] (no zone) in year 285 million BC, beyond what DuckDB can convert to microseconds: a value DuckDB
     * cannot cast without an internal error that invalidates its database.
     */
    public static byte[] secondsTimestampsFarOutOfRange() {
        try (BufferAllocator allocator = new RootAllocator()) {
            BigIntVector id = new BigIntVector("customer_id", allocator);
            org.apache.arrow.vector.TimeStampSecVector ts = new org.apache.arrow.vector.TimeStampSecVector("event_timestamp", allocator);
            for (int i = 0; i < 5; i++) {
                id.setSafe(i, i);
                ts.setSafe(i, i == 3 ? -9_000_000_000_000_000L : 1_767_225_600L);
            }
            id.setValueCount(5);
            ts.setValueCount(5);
            try (VectorSchemaRoot root = new VectorSchemaRoot(List.of(id, ts))) {
                return write(root, null);
            }
        }
    }

    /** Replaces 4 bytes at {@code at} (little-endian int), for framing mutations. */
    public static byte[] withInt(byte[] stream, int at, int value) {
        byte[] copy = stream.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return copy;
    }
}
