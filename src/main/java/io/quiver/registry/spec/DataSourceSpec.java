package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import io.quiver.registry.model.Layer;
import io.quiver.registry.model.SourceFormat;

/** A lake data source as registered. */
@Input("DataSourceInput")
@Description("A lake data source: files in the object store under a prefix, or matching a glob")
public record DataSourceSpec(
        @Description("Name, unique: [a-z][a-z0-9_]{0,62}") String name,
        @Description("Medallion layer") Layer layer,
        @Description("Object-store key prefix (lake/silver/transactions/) or glob (lake/silver/tx/**/*.parquet) inside the "
                + "configured bucket or directory") String location,
        @Description("File format") SourceFormat format,
        @Description("Reader options: delimiter (CSV), timePartition (a Hive partition column holding the event date, "
                + "e.g. date, so that reads for a time range skip other partitions before any download)") List<MetadataSpec> options) {
}
