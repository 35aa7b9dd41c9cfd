package io.quiver.offline;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.quiver.registry.model.GroupSchema;

/**
 * Fired (synchronously) after a write's snapshot committed, while its data files are still on local disk, so the
 * online store can take the written rows' latest values without reading them back from the object store. The
 * observer reports what it did through {@link #online(OnlineUpdate)}; a failure there never undoes the commit.
 */
public final class WriteCommitted {

    private final GroupSchema schema;
    private final List<Path> files;
    private final Snapshot snapshot;
    private final Instant minEventTime;
    private OnlineUpdate online = OnlineUpdate.DISABLED;

    public WriteCommitted(GroupSchema schema, List<Path> files, Snapshot snapshot, Instant minEventTime) {
        this.schema = schema;
        this.files = List.copyOf(files);
        this.snapshot = snapshot;
        this.minEventTime = minEventTime;
    }

    /** The earliest event time among the written rows (not the whole snapshot's). */
    public Instant minEventTime() {
        return minEventTime;
    }

    public GroupSchema schema() {
        return schema;
    }

    /** The written data files (local copies), in write order. */
    public List<Path> files() {
        return files;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public OnlineUpdate online() {
        return online;
    }

    public void online(OnlineUpdate update) {
        this.online = update;
    }
}
