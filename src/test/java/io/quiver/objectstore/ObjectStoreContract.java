package io.quiver.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quiver.error.ErrorCode;

/** What every {@link ObjectStore} implementation must do. Each implementation's test extends this class. */
public abstract class ObjectStoreContract {

    @TempDir
    Path tmp;

    protected abstract ObjectStore store();

    /** Keys under a prefix no other test uses. */
    private final String prefix = "contract/" + UUID.randomUUID() + "/";

    @Test
    void bytesRoundTrip() throws IOException {
        byte[] data = "hello parquet".getBytes();
        store().put(prefix + "a.bin", data);
        try (InputStream in = store().open(prefix + "a.bin")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(store().stat(prefix + "a.bin")).hasValueSatisfying(i -> assertThat(i.size()).isEqualTo(data.length));
    }

    @Test
    void largeFilesRoundTripThroughFilesAndDownloads() throws IOException {
        // 12 MiB: more than two 5 MiB parts, so stores with multipart upload use it.
        byte[] data = new byte[12 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        Path source = Files.write(tmp.resolve("big.bin"), data);
        store().put(prefix + "big/part-0.parquet", source);

        Path target = tmp.resolve("copy/big.bin");
        store().download(prefix + "big/part-0.parquet", target);
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
        assertThat(store().stat(prefix + "big/part-0.parquet").orElseThrow().size()).isEqualTo(data.length);
    }

    @Test
    void putReplacesTheObject() throws IOException {
        store().put(prefix + "k", new byte[] {1, 2, 3});
        store().put(prefix + "k", new byte[] {9});
        try (InputStream in = store().open(prefix + "k")) {
            assertThat(in.readAllBytes()).containsExactly(9);
        }
    }

    @Test
    void missingObjectsAreNotFound() {
        assertThat(store().stat(prefix + "nothing")).isEmpty();
        assertThatThrownBy(() -> store().open(prefix + "nothing")).isInstanceOf(ObjectNotFoundException.class)
                .satisfies(e -> assertThat(((ObjectNotFoundException) e).code()).isEqualTo(ErrorCode.OBJECT_NOT_FOUND))
                .hasMessageContaining(prefix + "nothing");
        assertThatThrownBy(() -> store().download(prefix + "nothing", tmp.resolve("x"))).isInstanceOf(ObjectNotFoundException.class);
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void listReturnsEveryObjectUnderThePrefixInKeyOrder() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            keys.add(prefix + "list/" + String.format("f%02d.parquet", 24 - i));
        }
        keys.forEach(k -> store().put(k, new byte[] {1}));
        store().put(prefix + "listing/other", new byte[] {1});
        store().put(prefix + "elsewhere/x", new byte[] {1});

        List<String> listed = store().list(prefix + "list/").stream().map(ObjectInfo::key).toList();
        assertThat(listed).containsExactlyElementsOf(keys.stream().sorted().toList());
        assertThat(store().list(prefix + "list")).hasSize(26);
        assertThat(store().list(prefix + "nope/")).isEmpty();
    }

    @Test
    void deleteRemovesObjectsAndIgnoresMissingOnes() {
        store().put(prefix + "d/1", new byte[] {1});
        store().put(prefix + "d/2", new byte[] {2});
        store().delete(List.of(prefix + "d/1", prefix + "d/never-existed"));
        assertThat(store().list(prefix + "d/")).extracting(ObjectInfo::key).containsExactly(prefix + "d/2");
        store().delete(List.of(prefix + "d/2"));
        store().delete(List.of(prefix + "d/2"));
        assertThat(store().list(prefix + "d/")).isEmpty();
    }

    @Test
    void unsafeKeysAreRejected() {
        for (String key : List.of("", "/abs", "a/../b", "a//b", "a\\b", "sp ace", "..")) {
            assertThatThrownBy(() -> store().put(key, new byte[] {1})).as(key).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void isReadyAndSaysWhereItIs() {
        store().checkReady();
        assertThat(store().location()).isNotBlank();
    }
}
