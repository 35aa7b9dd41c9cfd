/**
 * Online store: the latest values of each entity per group version, behind {@link io.quiver.online.OnlineStore}
 * (Redis, or in process for the embedded default). The store keeps opaque records (entity key, event time,
 * payload) and enforces one rule: a record never replaces a newer one. Encoding, write-through after offline
 * commits, materialization jobs and online reads build on it.
 */
package io.quiver.online;
