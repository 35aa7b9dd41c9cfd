package io.quiver.serving;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quiver.offline.SnapshotFile;
import io.quiver.registry.model.DataType;

class KeyRangesTest {

    private static SnapshotFile file(String key, String min, String max) {
        return new SnapshotFile(key, 1, 1, Instant.EPOCH, Instant.EPOCH, min, max);
    }

    @Test
    void onlyFilesWhoseFirstKeyRangeHoldsAWantedEntityAreRead() {
        List<SnapshotFile> files = List.of(file("a", "0", "4095"), file("b", "4096", "8191"), file("c", "8192", "9999"),
                new SnapshotFile("old", 1, 1, Instant.EPOCH, Instant.EPOCH));
        assertThat(KeyRanges.holding(files, List.of(List.of(10L)), DataType.BIGINT)).extracting(SnapshotFile::key).containsExactly("a", "old");
        assertThat(KeyRanges.holding(files, List.of(List.of(4096L), List.of(9999L)), DataType.BIGINT)).extracting(SnapshotFile::key)
                .containsExactly("b", "c", "old");
        assertThat(KeyRanges.holding(files, List.of(List.of(-1L)), DataType.INT)).extracting(SnapshotFile::key).containsExactly("old");
    }

    @Test
    void textKeysCompareByTheirUtf8BytesAsTheQueryEngineSortsThem() {
        List<SnapshotFile> files = List.of(file("ascii", "a", "m"), file("high", "n", "z\u00e9"));
        assertThat(KeyRanges.holding(files, List.of(List.of("b", 1L)), DataType.STRING)).extracting(SnapshotFile::key).containsExactly("ascii");
        // 'é' (C3 A9) sorts after 'z' (7A) by bytes
        assertThat(KeyRanges.within("z\u00e0", "n", "z\u00e9", DataType.STRING)).isTrue();
        assertThat(KeyRanges.within("\u00e9", "a", "m", DataType.STRING)).isFalse();
    }
}
