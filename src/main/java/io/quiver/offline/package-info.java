/**
 * Offline store (issue: materialized offline store): Parquet snapshots per group version in object storage,
 * committed atomically through the registry database, and point-in-time historical retrieval. Empty until then.
 */
package io.quiver.offline;
