/**
 * Offline store: a group version's history as Parquet files in the object store, whose state at each commit is a
 * {@link io.quiver.offline.Snapshot} recorded in the registry database by {@link io.quiver.offline.SnapshotLog}.
 * The write path and point-in-time retrieval build on it (issue: materialized offline store).
 */
package io.quiver.offline;
