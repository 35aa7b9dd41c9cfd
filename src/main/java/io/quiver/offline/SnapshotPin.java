package io.quiver.offline;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;
import org.eclipse.microprofile.graphql.NonNull;

/** Reads one group at a known snapshot (reproducible training sets), whatever was committed since. */
@Input("SnapshotPinInput")
@Description("Read this group at this snapshot id (see snapshots(group)) instead of its current state")
public record SnapshotPin(
        @NonNull @Description("Group name; the snapshot decides the version") String group,
        @NonNull @Description("Snapshot id") Long snapshotId) {

    public SnapshotPin {
        requireNonNull(group, "group");
        requireNonNull(snapshotId, "snapshotId");
    }
}
