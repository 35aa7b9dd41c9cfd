package io.quiver.serving;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.quiver.offline.SnapshotFile;
import io.quiver.registry.model.DataType;

/**
 * Which data files can hold some of the wanted entities, from the range of the first entity key each file records
 * (files are sorted by the entity keys): a point read then reads a few files of a group, not all of them. Files
 * without a recorded range (written before it was recorded) are always kept. Text keys compare as DuckDB orders
 * them: by their UTF-8 bytes.
 */
final class KeyRanges {

    private KeyRanges() {
    }

    /** The files whose first-key range holds at least one entity's first key value. */
    static List<SnapshotFile> holding(List<SnapshotFile> files, List<List<Object>> entities, DataType firstKeyType) {
        return files.stream().filter(f -> f.minKey() == null || f.maxKey() == null
                || entities.stream().anyMatch(e -> within(e.get(0), f.minKey(), f.maxKey(), firstKeyType))).toList();
    }

    static boolean within(Object value, String min, String max, DataType type) {
        if (type == DataType.STRING) {
            byte[] v = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
            return Arrays.compareUnsigned(v, min.getBytes(StandardCharsets.UTF_8)) >= 0
                    && Arrays.compareUnsigned(v, max.getBytes(StandardCharsets.UTF_8)) <= 0;
        }
        try {
            long v = ((Number) value).longValue();
            return v >= Long.parseLong(min) && v <= Long.parseLong(max);
        } catch (RuntimeException e) {
            return true; // a range that does not parse proves nothing: read the file
        }
    }
}
