package io.quiver.registry;

import java.util.List;

/** Fired when group versions were deleted; observers remove what they kept for them once the deletion committed. */
public record GroupVersionsDeleted(String name, List<Integer> versions, List<Long> ids) {
    public GroupVersionsDeleted {
        versions = List.copyOf(versions);
        ids = List.copyOf(ids);
    }
}
