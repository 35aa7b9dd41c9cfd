package io.quiver.config;

/** Engine that runs virtual feature queries. DuckDB is the one this build has. */
public enum QueryExecutorType {
    DUCKDB
}
