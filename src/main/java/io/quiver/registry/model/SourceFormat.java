package io.quiver.registry.model;

import org.eclipse.microprofile.graphql.Description;

/** The file format of a lake data source. */
@Description("The file format of a lake data source's files")
public enum SourceFormat {
    @Description("Apache Parquet files: column statistics let queries skip files and row groups")
    PARQUET,
    @Description("CSV files with a header row")
    CSV,
    @Description("Newline-delimited JSON files (one object per line)")
    JSON
}
