package io.quiver.offline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What one commit does to a group version's live files. APPEND adds files to whatever the head is at commit time and
 * OVERWRITE replaces everything live then: neither depends on the state the writer saw, so they never conflict.
 * COMPACT replaces given files by one with the same rows: it only needs them to be still live (appends landing
 * meanwhile follow them in the write order either way). BACKFILL rewrites what a given head ({@code basedOn}) held in
 * a time range, so its commit is refused when the head moved, and the writer rebuilds on the new head.
 *
 * @param removeAll remove every live file (OVERWRITE)
 * @param removed keys of files to remove; each must still be live
 */
public record SnapshotChange(SnapshotOperation operation, boolean checkHead, Long basedOn, List<Added> added,
        boolean removeAll, List<String> removed) {

    /**
     * A new file; {@code takesPlaceOf} names a removed file whose place in the write order it keeps (a backfill's
     * rewrite of that file), or is null for a file that follows every other.
     */
    public record Added(SnapshotFile file, String takesPlaceOf) {
        public Added {
            requireNonNull(file, "file");
        }
    }

    public SnapshotChange {
        requireNonNull(operation, "operation");
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    public static SnapshotChange append(List<SnapshotFile> files) {
        return new SnapshotChange(SnapshotOperation.APPEND, false, null, wrap(files), false, List.of());
    }

    public static SnapshotChange overwrite(List<SnapshotFile> files) {
        return new SnapshotChange(SnapshotOperation.OVERWRITE, false, null, wrap(files), true, List.of());
    }

    /** A rewrite of what the head {@code basedOn} held (null: the group version had no data). */
    public static SnapshotChange rewrite(SnapshotOperation operation, Long basedOn, List<String> removed, List<Added> added) {
        return new SnapshotChange(operation, true, basedOn, added, false, removed);
    }

    /** Files replaced by others holding the same rows, whatever else landed meanwhile. */
    public static SnapshotChange replace(SnapshotOperation operation, List<String> removed, List<Added> added) {
        return new SnapshotChange(operation, false, null, added, false, removed);
    }

    private static List<Added> wrap(List<SnapshotFile> files) {
        return files.stream().map(f -> new Added(f, null)).toList();
    }
}
