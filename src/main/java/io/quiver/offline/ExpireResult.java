package io.quiver.offline;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;

@Description("What snapshot expiry removed")
public record ExpireResult(
        @Description("Ids of the snapshots forgotten; time travel to them is no longer possible") List<Long> expiredSnapshots,
        @Description("Data files deleted from the object store") List<String> deletedFiles) {
    public ExpireResult {
        expiredSnapshots = List.copyOf(expiredSnapshots);
        deletedFiles = List.copyOf(deletedFiles);
    }
}
