package io.quiver.registry;

import java.util.List;

/**
 * Fired when group versions were deleted; observers remove what they kept for them once the deletion committed.
 * {@code dataPrefixes} are where the versions' data files were, in the order of {@code versions}.
 */
public record GroupVersionsDeleted(String name, List<Integer> versions, List<Long> ids, List<String> dataPrefixes) {
    public GroupVersionsDeleted {
        versions = List.copyOf(versions);
        ids = List.copyOf(ids);
        dataPrefixes = List.copyOf(dataPrefixes);
    }
}
