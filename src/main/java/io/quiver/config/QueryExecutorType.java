package io.quiver.config;

/** Engine for a group's large work: DuckDB on this node, or a Spark Connect server for backfills and large training sets. */
public enum QueryExecutorType {
    DUCKDB,
    SPARK
}
