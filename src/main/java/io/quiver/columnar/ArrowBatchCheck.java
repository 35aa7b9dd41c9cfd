package io.quiver.columnar;

import java.util.Map;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseLargeVariableWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.LargeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.NonNullableStructVector;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * What DuckDB will read of a record batch, checked first: DuckDB takes the buffers through the C data interface as
 * they are, so every buffer must be as long as the value count needs, every offset must lie within the data it
 * points into (and never go back), every child must hold what its parent's offsets address, and every dictionary
 * index must name an entry. Reads here go through Arrow's bounds-checked buffers. Values themselves (a decimal beyond
 * its precision, say) are left to the column checks, which name the row. Types DuckDB would read otherwise than
 * through these layouts (views, unions, run-end encoding) are refused with the schema.
 */
final class ArrowBatchCheck {

    private ArrowBatchCheck() {
    }

    /** What is wrong with the schema's types, or null when every field has a layout this check knows. */
    static String unsupported(Field field, String path) {
        if (field.getName() == null) {
            return "a field " + (path.isEmpty() ? "" : "of '" + path + "' ") + "has no name";
        }
        String name = path.isEmpty() ? field.getName() : path + "." + field.getName();
        ArrowType.ArrowTypeID id = field.getType().getTypeID();
        switch (id) {
            case Utf8View, BinaryView, ListView, LargeListView, Union, RunEndEncoded -> {
                return "column '" + name + "' has the Arrow type " + id + ", which is not accepted; send it as a plain "
                        + "string, binary, list or struct";
            }
            default -> {
            }
        }
        for (Field child : field.getChildren()) {
            String bad = unsupported(child, name);
            if (bad != null) {
                return bad;
            }
        }
        return null;
    }

    /** @throws IllegalStateException saying which column does not hold what it declares */
    static void check(FieldVector v, Map<Long, Dictionary> dictionaries) {
        check(v, v.getName(), dictionaries);
    }

    private static void check(FieldVector v, String path, Map<Long, Dictionary> dictionaries) {
        int n = v.getValueCount();
        if (v instanceof NullVector) {
            return;
        }
        ArrowBuf validity = v.getValidityBuffer();
        if (n > 0 && validity != null && validity.capacity() > 0) {
            need(validity.capacity() >= bits(n), path, "its validity buffer is shorter than " + n + " values need");
        }
        if (v instanceof BitVector b) {
            need(b.getDataBuffer().capacity() >= bits(n), path, "its data buffer is shorter than " + n + " values need");
        } else if (v instanceof BaseFixedWidthVector f) {
            need(f.getDataBuffer().capacity() >= (long) n * f.getTypeWidth(), path, "its data buffer is shorter than " + n + " values need");
        } else if (v instanceof BaseVariableWidthVector w) {
            offsets(w.getOffsetBuffer(), n, 4, w.getDataBuffer().capacity(), path);
        } else if (v instanceof BaseLargeVariableWidthVector w) {
            offsets(w.getOffsetBuffer(), n, 8, w.getDataBuffer().capacity(), path);
        } else if (v instanceof ListVector l) { // MapVector too
            FieldVector child = l.getDataVector();
            offsets(l.getOffsetBuffer(), n, 4, child.getValueCount(), path);
            check(child, path + "[]", dictionaries);
        } else if (v instanceof LargeListVector l) {
            FieldVector child = l.getDataVector();
            offsets(l.getOffsetBuffer(), n, 8, child.getValueCount(), path);
            check(child, path + "[]", dictionaries);
        } else if (v instanceof FixedSizeListVector l) {
            FieldVector child = l.getDataVector();
            need(child.getValueCount() >= (long) n * l.getListSize(), path, "its values are fewer than " + n + " lists need");
            check(child, path + "[]", dictionaries);
        } else if (v instanceof NonNullableStructVector s) { // StructVector too
            for (FieldVector child : s.getChildrenFromFields()) {
                need(child.getValueCount() >= n, path, "field '" + child.getName() + "' holds fewer than " + n + " values");
                check(child, path + "." + child.getName(), dictionaries);
            }
        } else {
            throw new IllegalStateException("column '" + path + "' has a layout that is not accepted");
        }
        if (v.getField().getDictionary() != null) {
            Dictionary d = dictionaries.get(v.getField().getDictionary().getId());
            need(d != null, path, "it names a dictionary the stream does not hold");
            need(v instanceof BaseIntVector, path, "its dictionary indices are not integers");
            long size = d.getVector().getValueCount();
            BaseIntVector indices = (BaseIntVector) v;
            for (int i = 0; i < n; i++) {
                if (!v.isNull(i)) {
                    long index = indices.getValueAsLong(i);
                    need(index >= 0 && index < size, path, "row " + i + " names dictionary entry " + index + " of " + size);
                }
            }
        }
    }

    /** Offsets must be as many as the values need, start at or above 0, never go back, and end within the data. */
    private static void offsets(ArrowBuf offsets, int n, int width, long dataLength, String path) {
        if (n == 0) {
            return;
        }
        need(offsets.capacity() >= (long) (n + 1) * width, path, "its offsets buffer is shorter than " + n + " values need");
        long previous = width == 4 ? offsets.getInt(0) : offsets.getLong(0);
        need(previous >= 0, path, "its first offset is negative");
        for (int i = 1; i <= n; i++) {
            long next = width == 4 ? offsets.getInt((long) i * 4) : offsets.getLong((long) i * 8);
            need(next >= previous, path, "its offsets go back at value " + (i - 1));
            previous = next;
        }
        need(previous <= dataLength, path, "its offsets point past the end of its data");
    }

    private static long bits(int n) {
        return ((long) n + 7) / 8;
    }

    private static void need(boolean ok, String path, String why) {
        if (!ok) {
            throw new IllegalStateException("column '" + path + "' does not hold what it declares: " + why);
        }
    }
}
