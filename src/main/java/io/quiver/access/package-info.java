/**
 * Access metrics: every read and write path records into {@link io.quiver.access.AccessRecorder}, which counts per
 * group and minute in memory and flushes into an {@link io.quiver.access.AccessStore} (Redis, shared by replicas; in
 * memory for the embedded default). Storage layer: offline, online, virtual, ingest and serving record into it; the
 * hybrid package reads it back.
 */
package io.quiver.access;
