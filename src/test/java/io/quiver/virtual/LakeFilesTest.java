package io.quiver.virtual;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quiver.objectstore.LocalObjectStore;
import io.quiver.registry.model.SourceFormat;

class LakeFilesTest {

    @TempDir
    Path dir;

    private LocalObjectStore store() throws Exception {
        LocalObjectStore s = new LocalObjectStore(dir);
        for (String key : List.of("lake/tx/date=2026-11-01/a.parquet", "lake/tx/date=2026-11-02/b.parquet", "lake/tx/date=2026-11-03/c.parquet",
                "lake/tx/_SUCCESS", "lake/tx/notes.csv", "lake/txt/other.parquet", "lake/csv/x.csv")) {
            s.put(key, new byte[] {1, 2, 3});
        }
        return s;
    }

    @Test
    void aPrefixListsItsFilesOfTheFormatWithTheirPartitions() throws Exception {
        List<LakeFiles.LakeFile> files = LakeFiles.list(store(), "lake/tx", SourceFormat.PARQUET);
        assertThat(files).extracting(f -> f.object().key()).containsExactly("lake/tx/date=2026-11-01/a.parquet",
                "lake/tx/date=2026-11-02/b.parquet", "lake/tx/date=2026-11-03/c.parquet");
        assertThat(files.get(1).partitions()).containsEntry("date", "2026-11-02");
    }

    @Test
    void aGlobMatchesByPattern() throws Exception {
        assertThat(LakeFiles.list(store(), "lake/tx/**/*.parquet", SourceFormat.PARQUET)).hasSize(3);
        assertThat(LakeFiles.list(store(), "lake/tx/date=2026-11-0?/a.parquet", SourceFormat.PARQUET)).hasSize(1);
        assertThat(LakeFiles.list(store(), "lake/*/*.csv", SourceFormat.CSV)).extracting(f -> f.object().key())
                .containsExactly("lake/csv/x.csv", "lake/tx/notes.csv");
    }

    @Test
    void partitionsOutsideTheTimeRangeArePrunedBeforeAnyDownload() throws Exception {
        List<LakeFiles.LakeFile> files = LakeFiles.list(store(), "lake/tx/", SourceFormat.PARQUET);
        assertThat(LakeFiles.prune(files, "date", Instant.parse("2026-11-02T10:00:00Z"), Instant.parse("2026-11-02T23:00:00Z")))
                .extracting(f -> f.object().key()).containsExactly("lake/tx/date=2026-11-02/b.parquet");
        assertThat(LakeFiles.prune(files, "date", null, Instant.parse("2026-11-02T00:00:00Z"))).hasSize(2);
        assertThat(LakeFiles.prune(files, null, Instant.EPOCH, Instant.EPOCH)).hasSize(3);
    }

    @Test
    void theVersionChangesWhenAFileIsRewrittenAddedOrRemoved() throws Exception {
        LocalObjectStore s = store();
        String v1 = LakeFiles.version(LakeFiles.list(s, "lake/tx/", SourceFormat.PARQUET));
        assertThat(LakeFiles.version(LakeFiles.list(s, "lake/tx/", SourceFormat.PARQUET))).isEqualTo(v1);
        s.put("lake/tx/date=2026-11-01/a.parquet", new byte[] {1, 2, 3, 4});
        String v2 = LakeFiles.version(LakeFiles.list(s, "lake/tx/", SourceFormat.PARQUET));
        assertThat(v2).isNotEqualTo(v1);
        s.put("lake/tx/date=2026-11-04/d.parquet", new byte[] {5});
        String v3 = LakeFiles.version(LakeFiles.list(s, "lake/tx/", SourceFormat.PARQUET));
        assertThat(v3).isNotEqualTo(v2);
        s.delete(List.of("lake/tx/date=2026-11-04/d.parquet"));
        assertThat(LakeFiles.version(LakeFiles.list(s, "lake/tx/", SourceFormat.PARQUET))).isEqualTo(v2);
        assertThat(Files.exists(dir)).isTrue();
    }
}
