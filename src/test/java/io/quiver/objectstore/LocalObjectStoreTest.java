package io.quiver.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalObjectStoreTest extends ObjectStoreContract {

    @TempDir
    Path root;

    private LocalObjectStore store;

    @BeforeEach
    void create() {
        store = new LocalObjectStore(root);
    }

    @Override
    protected ObjectStore store() {
        return store;
    }

    @Test
    void anObjectsUriIsItsFile() throws IOException {
        store.put("lake/a=b.parquet", new byte[] {1, 2});
        assertThat(Files.readAllBytes(Path.of(java.net.URI.create(store.uri("lake/a=b.parquet"))))).containsExactly(1, 2);
        assertThatThrownBy(() -> store.uri("../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesLeaveNoTemporaryFilesBehind() throws IOException {
        store.put("x/y.parquet", new byte[] {1, 2});
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())).containsExactly("x/y.parquet");
        }
    }

    @Test
    void anUnwritableRootIsNotReady() throws IOException {
        Path file = Files.writeString(root.resolve("a-file"), "not a directory");
        LocalObjectStore broken = new LocalObjectStore(file.resolve("objects"));
        assertThatThrownBy(broken::checkReady).isInstanceOf(ObjectStoreException.class)
                .satisfies(e -> assertThat(((ObjectStoreException) e).detail()).contains("not usable"));
    }
}
