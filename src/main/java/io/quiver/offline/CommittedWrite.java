package io.quiver.offline;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.quiver.registry.model.GroupSchema;

/**
 * A write whose snapshot has just committed, as handed to the caller's {@link AfterCommit}: while that runs, the
 * written data files are still on local disk, so the online store can take their latest values without reading
 * them back from the object store.
 *
 * @param rows rows the write added
 * @param files the written data files (local copies), in write order; gone once the write returns
 * @param minEventTime the earliest event time among the written rows (not the whole snapshot's); null for no rows
 */
public record CommittedWrite(GroupSchema schema, long rows, Snapshot snapshot, List<Path> files, Instant minEventTime) {

    public CommittedWrite {
        requireNonNull(schema, "schema");
        requireNonNull(snapshot, "snapshot");
        files = List.copyOf(files);
    }
}
