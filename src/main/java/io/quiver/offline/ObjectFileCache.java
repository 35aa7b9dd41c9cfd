package io.quiver.offline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.objectstore.ObjectKeys;
import io.quiver.objectstore.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Local copies of data files for DuckDB, which cannot read s3:// here. Objects are immutable (every write makes a
 * new key), so a cached copy never goes stale; a copy appears under its key only once complete.
 */
@ApplicationScoped
public class ObjectFileCache {

    private final ObjectStore objects;
    private final Path root;

    public ObjectFileCache(ObjectStore objects, QuiverConfig config) {
        this.objects = objects;
        this.root = Path.of(config.offline().cacheDir().orElse(System.getProperty("java.io.tmpdir") + "/quiver-cache"))
                .toAbsolutePath();
    }

    public Path get(String key) {
        Path local = root.resolve(ObjectKeys.check(key));
        if (Files.isRegularFile(local)) {
            return local;
        }
        try {
            Files.createDirectories(local.getParent());
            Path temp = Files.createTempFile(local.getParent(), local.getFileName().toString(), ".part");
            try {
                objects.download(key, temp);
                Files.move(temp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return local;
        } catch (IOException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not cache data file " + key
                    + " under " + root + ": " + e.getMessage(), e);
        }
    }
}
