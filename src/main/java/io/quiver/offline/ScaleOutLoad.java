package io.quiver.offline;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.quiver.registry.model.GroupSchema;

/**
 * A distributed engine that picks each entity's latest row from a snapshot's files for the online store (the Spark
 * Connect executor implements it, above this layer), so that a large online load reads the snapshot where it lies and
 * only the rows the online store takes come back. Its choice must equal the online loader's: latest event time, then
 * created time (nulls first), then write order.
 */
public interface ScaleOutLoad {

    /**
     * Whether the online load of these stored rows runs on the engine, and why (the training sets' rule, with the
     * snapshot rows read as the work).
     */
    ScaleOutJoin.Route route(GroupSchema schema, long storedRows);

    /** Whether the engine reads the object store itself (it is then given objects' addresses, else local copies' paths). */
    boolean readsLake();

    /**
     * The latest row of each entity among {@code files} (addresses, in snapshot order: the write order breaks ties)
     * whose event time lies in [start, end) (null: unbounded), laid out like the group's data files, as one local
     * Parquet file the caller deletes.
     */
    Path latest(GroupSchema schema, List<String> files, Instant start, Instant end);
}
