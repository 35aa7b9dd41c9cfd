package io.quiver.ingest;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;
import io.quiver.online.OnlineUpdate;
import io.quiver.offline.Snapshot;

@Description("What a write committed")
public record WriteResult(
        @Description("Rows written") long rowsWritten,
        @Description("The snapshot the write committed; readers see it from now on") Snapshot snapshot,
        @Description("What the write did to the online store") OnlineUpdate online) {
    public WriteResult {
        requireNonNull(snapshot, "snapshot");
        requireNonNull(online, "online");
    }
}
