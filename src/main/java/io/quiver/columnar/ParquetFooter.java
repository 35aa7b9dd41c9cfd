package io.quiver.columnar;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.quiver.error.InvalidArgumentException;

/**
 * Checks a Parquet file's frame before DuckDB reads it: the magic bytes at both ends, and a footer length that fits
 * in the file and in the configured bound. DuckDB reads the footer whole into memory, so its declared length is
 * what one upload could make it allocate.
 */
final class ParquetFooter {

    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private ParquetFooter() {
    }

    static void check(Path file, String what, int maxFooterBytes) {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = c.size();
            if (size < 12) {
                throw invalid(what, "it has " + size + " bytes, fewer than any Parquet file");
            }
            ByteBuffer head = ByteBuffer.allocate(4);
            c.read(head, 0);
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            c.read(tail, size - 8);
            if (!java.util.Arrays.equals(head.array(), MAGIC) || !java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail.array(), 4, 8), MAGIC)) {
                throw invalid(what, "it does not start and end with the Parquet magic bytes (is it truncated, or another format?)");
            }
            long footer = Integer.toUnsignedLong(tail.getInt(0));
            if (footer > size - 12) {
                throw invalid(what, "its footer claims " + footer + " bytes, more than the file holds (is it truncated?)");
            }
            if (footer > maxFooterBytes) {
                throw invalid(what, "its footer has " + footer + " bytes; at most " + maxFooterBytes
                        + " are accepted (quiver.ingest.max-arrow-metadata-bytes): write fewer row groups or columns per file");
            }
        } catch (IOException e) {
            throw new InvalidArgumentException(what + " could not be read back; send it again", e);
        }
    }

    private static InvalidArgumentException invalid(String what, String why) {
        return new InvalidArgumentException(what + " is not a valid Parquet file: " + why + "; send a complete, valid Parquet file");
    }
}
