package io.quiver.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under a root directory (the embedded default). A write goes to a temporary file beside its
 * target and is moved into place atomically, so readers never see a partial object.
 */
public class LocalObjectStore implements ObjectStore {

    private static final String TEMP_SUFFIX = ".uploading";

    private final Path root;

    public LocalObjectStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, Path file) {
        write(key, temp -> Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public void put(String key, byte[] data) {
        write(key, temp -> Files.write(temp, data));
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(path(key));
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw failure("read", key, e);
        }
    }

    @Override
    public void download(String key, Path target) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.copy(path(key), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(key);
        } catch (IOException e) {
            throw failure("download", key, e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        try {
            BasicFileAttributes a = Files.readAttributes(path(key), BasicFileAttributes.class);
            Instant modified = a.lastModifiedTime().toInstant();
            return Optional.of(new ObjectInfo(key, a.size(), modified, ObjectInfo.localEtag(a.size(), modified)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failure("stat", key, e);
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.checkPrefix(prefix);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<ObjectInfo> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(TEMP_SUFFIX))
                    .forEach(p -> {
                        String key = root.relativize(p).toString().replace('\\', '/');
                        if (key.startsWith(prefix)) {
                            stat(key).ifPresent(out::add);
                        }
                    });
        } catch (IOException | UncheckedIOException e) {
            throw failure("list", prefix, e);
        }
        out.sort(Comparator.comparing(ObjectInfo::key));
        return out;
    }

    @Override
    public void delete(Collection<String> keys) {
        for (String key : keys) {
            try {
                Files.deleteIfExists(path(key));
            } catch (IOException e) {
                throw failure("delete", key, e);
            }
        }
    }

    @Override
    public void checkReady() {
        try {
            Files.createDirectories(root);
            if (!Files.isWritable(root)) {
                throw new IOException("not writable");
            }
        } catch (IOException e) {
            throw new ObjectStoreException("use its directory", null, "directory " + root + " is not usable: " + e.getMessage(), e);
        }
    }

    @Override
    public String location() {
        return "local directory " + root;
    }

    @Override
    public String uri(String key) {
        ObjectKeys.check(key);
        return root.resolve(key).toUri().toString();
    }

    private interface Writer {
        void write(Path temp) throws IOException;
    }

    private void write(String key, Writer writer) {
        Path target = path(key);
        Path temp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + TEMP_SUFFIX);
        try {
            Files.createDirectories(target.getParent());
            writer.write(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw failure("write", key, e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Left behind only if the disk fails twice; list() skips such files.
            }
        }
    }

    private Path path(String key) {
        return root.resolve(ObjectKeys.check(key));
    }

    private ObjectStoreException failure(String operation, String key, Exception e) {
        return new ObjectStoreException(operation, key, location() + ": " + e, e);
    }
}
