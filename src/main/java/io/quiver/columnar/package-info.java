/**
 * Columnar data in and out of the service: the shared embedded DuckDB engine ({@link io.quiver.columnar.DuckDbEngine}),
 * uploads of Arrow IPC streams and Parquet files staged as DuckDB relations ({@link io.quiver.columnar.StagedUpload}),
 * the types DuckDB reports for them ({@link io.quiver.columnar.SourceType}), and results streamed back as Arrow or
 * Parquet ({@link io.quiver.columnar.ColumnarOutput}). Used by ingest (bulk writes) and offline (historical retrieval).
 */
package io.quiver.columnar;
