package io.quiver.columnar;

import java.util.Locale;
import java.util.Optional;

/** The bulk formats the REST API takes and gives, by media type. */
public enum ColumnarFormat {
    /** Apache Arrow IPC streaming format. */
    ARROW_STREAM("application/vnd.apache.arrow.stream"),
    /** Apache Parquet file. */
    PARQUET("application/vnd.apache.parquet");

    public static final String ARROW_MEDIA_TYPE = "application/vnd.apache.arrow.stream";
    public static final String PARQUET_MEDIA_TYPE = "application/vnd.apache.parquet";
    /** What clients and tools have used for Parquet before it was registered; accepted on input. */
    private static final String PARQUET_LEGACY_MEDIA_TYPE = "application/x-parquet";

    private final String mediaType;

    ColumnarFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format of a Content-Type or Accept value (parameters ignored), if it names one. */
    public static Optional<ColumnarFormat> of(String mediaType) {
        if (mediaType == null) {
            return Optional.empty();
        }
        String base = mediaType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (base) {
            case ARROW_MEDIA_TYPE -> Optional.of(ARROW_STREAM);
            case PARQUET_MEDIA_TYPE, PARQUET_LEGACY_MEDIA_TYPE -> Optional.of(PARQUET);
            default -> Optional.empty();
        };
    }
}
