package io.quiver.registry;

import java.util.List;

/** One page of a keyset-paged listing: the items, an opaque cursor per item, and the total matching count. */
public record Page<T>(List<T> items, List<String> cursors, long totalCount, boolean hasNextPage) {

    public Page {
        items = List.copyOf(items);
        cursors = List.copyOf(cursors);
        if (items.size() != cursors.size()) {
            throw new IllegalArgumentException("one cursor per item");
        }
    }

    public String endCursor() {
        return cursors.isEmpty() ? null : cursors.get(cursors.size() - 1);
    }
}
