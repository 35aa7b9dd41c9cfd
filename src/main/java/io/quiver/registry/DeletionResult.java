package io.quiver.registry;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;

@Description("What a deletion removed")
public record DeletionResult(
        @Description("Group name") String name,
        @Description("Versions removed") List<Integer> deletedVersions,
        @Description("Latest version left after the deletion; null when none is left") Integer latestVersion) {
    public DeletionResult {
        deletedVersions = List.copyOf(deletedVersions);
    }
}
