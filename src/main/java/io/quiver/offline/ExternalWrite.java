package io.quiver.offline;

import java.time.Instant;
import java.util.List;

/**
 * An engine that writes a snapshot's data files itself (the Spark Connect server's fills), into a directory the offline
 * writer gives it: straight into the object store when the engine reads and writes the lake, or into a local
 * directory whose files this service uploads. The writer then commits those files like its own, under the same
 * intent, checks and clean-up ({@link OfflineWriter#writeExternal}).
 */
@FunctionalInterface
public interface ExternalWrite {

    /**
     * One data file the engine wrote, laid out like the service's own ({@code ParquetFileWriter.columns}), with the
     * statistics a snapshot keeps per file.
     *
     * @param name the file's name in the directory
     * @param bytes its size, which the commit checks against the object store
     * @param minKey the first entity key's least value as text ({@code CAST(min(key) AS text)}); null for no rows
     */
    record File(String name, long rows, long bytes, Instant minEventTime, Instant maxEventTime, String minKey, String maxKey) {
    }

    /**
     * Writes the rows into the directory at {@code location} (an address the engine writes to: {@code s3a://},
     * {@code file:}), which does not exist yet.
     *
     * @return the data files with rows, in write order (rows of equal keys and times: the later file's are the later)
     */
    List<File> write(String location);
}
