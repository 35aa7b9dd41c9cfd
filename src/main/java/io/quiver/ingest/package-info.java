/**
 * Ingest: validated writes of feature data. {@link io.quiver.ingest.RowValidator} checks a batch against the
 * registered schema before anything is stored; the GraphQL {@code write} mutation and the bulk Arrow/Parquet
 * endpoint (issue: offline store) build on it.
 */
package io.quiver.ingest;
