package io.quiver.config;

import org.eclipse.microprofile.graphql.Description;

/** File format of materialized snapshots. Only PARQUET is implemented; the others are named so errors can say so. */
@Description("File format of materialized snapshots; only PARQUET is supported")
public enum StorageFormat {
    @Description("Apache Parquet (supported)")
    PARQUET(true),
    @Description("Delta Lake (not supported)")
    DELTA(false),
    @Description("Apache ORC (not supported)")
    ORC(false);

    private final boolean supported;

    StorageFormat(boolean supported) {
        this.supported = supported;
    }

    public boolean supported() {
        return supported;
    }
}
