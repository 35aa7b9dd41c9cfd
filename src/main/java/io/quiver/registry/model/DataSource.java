package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Ignore;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Lake data that virtual groups query: the files under a prefix (or matching a glob) of the object store, in one
 * format, with the schema and size discovered when it was registered or refreshed. The version names the exact set
 * of files (their keys and etags): it changes whenever the lake does, so caches keyed by it are never stale.
 *
 * @param location a key prefix ({@code lake/silver/transactions/}) or glob ({@code lake/silver/tx/**.parquet})
 * @param options reader options, e.g. {@code delimiter} for CSV, {@code timePartition} naming a partition column
 *        that holds the event date
 */
@Description("Lake data that virtual groups query: files in the object store, with their discovered schema")
public record DataSource(
        @Ignore @JsonIgnore long id,
        @Description("Name, unique; templates refer to it as {{layer.name}} or {{name}}") String name,
        @Description("Medallion layer") Layer layer,
        @Description("Object-store key prefix or glob of its files") String location,
        @Description("File format") SourceFormat format,
        @Description("Reader options as given at registration") List<KeyValue> options,
        @Description("Columns, as the query engine reads them") List<SourceColumn> columns,
        @Description("Number of files") int files,
        @Description("Bytes in all files") long bytes,
        @Description("Estimated rows (from Parquet footers, or sampled for CSV and JSON)") long rowEstimate,
        @Description("Names the exact set of files (keys and etags); changes whenever the lake does") String version,
        @Description("When it was registered") Instant createdAt,
        @Description("When its files were last looked at") Instant refreshedAt) {

    public DataSource {
        requireNonNull(name, "name");
        requireNonNull(layer, "layer");
        requireNonNull(location, "location");
        requireNonNull(format, "format");
        options = List.copyOf(options);
        columns = List.copyOf(columns);
        requireNonNull(version, "version");
    }

    /** How templates refer to it, e.g. {@code silver.transactions}. */
    public String qualifiedName() {
        return layer.name().toLowerCase(java.util.Locale.ROOT) + "." + name;
    }

    public String option(String key) {
        return options.stream().filter(o -> o.key().equals(key)).map(KeyValue::value).findFirst().orElse(null);
    }
}
