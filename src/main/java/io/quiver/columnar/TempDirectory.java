package io.quiver.columnar;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/** A private temporary directory for one operation's scratch files, removed with everything in it on close. */
public final class TempDirectory implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TempDirectory.class);

    private final Path path;

    public TempDirectory(String prefix) {
        try {
            this.path = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "the service could not make a scratch directory "
                    + "(its disk failed or is full); retry later", e);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("could not remove temporary directory %s: %s", path, e.getMessage());
        }
    }
}
