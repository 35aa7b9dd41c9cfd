package io.quiver.deploy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Sizes and durations as each consumer of a manifest value reads them: DuckDB memory limits, Quarkus memory sizes
 * and durations, Kubernetes quantities. A value none of them accepts fails here, as it would fail the app.
 */
final class Sizes {

    static final long MIB = 1024L * 1024;

    private static final Pattern DUCKDB = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]I?B|B|BYTES)");
    private static final Pattern QUARKUS_MEMORY = Pattern.compile("(\\d+)([BKMGT]?)");
    private static final Pattern QUARKUS_DURATION = Pattern.compile("(\\d+)(MS|S|M|H|D)?");

    private Sizes() {
    }

    /** A DuckDB size ("4GB", "512MiB"): KB, MB, GB, TB are powers of 1000, KiB, MiB, GiB, TiB of 1024, as DuckDB reads them. */
    static long duckDb(String value) {
        Matcher m = DUCKDB.matcher(value.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a DuckDB size (e.g. 2GB or 512MiB)");
        }
        String unit = m.group(2);
        long factor = switch (unit) {
            case "B", "BYTES" -> 1;
            case "KB" -> 1000L;
            case "MB" -> 1000L * 1000;
            case "GB" -> 1000L * 1000 * 1000;
            case "TB" -> 1000L * 1000 * 1000 * 1000;
            case "KIB" -> 1024L;
            case "MIB" -> MIB;
            case "GIB" -> MIB * 1024;
            default -> MIB * 1024 * 1024; // TIB
        };
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor)).longValue();
    }

    /** A Quarkus MemorySize ("64G", "4M", "1024"): binary multiples, as quarkus.http.limits.max-body-size reads it. */
    static long quarkusMemory(String value) {
        Matcher m = QUARKUS_MEMORY.matcher(value.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a Quarkus memory size (e.g. 4G or 512M)");
        }
        int shift = "BKMGT".indexOf(m.group(2).isEmpty() ? "B" : m.group(2)) * 10;
        return Long.parseLong(m.group(1)) << shift;
    }

    /** A Quarkus duration ("30s", "PT30S", "500ms", a bare number of seconds), as quarkus.shutdown.timeout reads it. */
    static Duration quarkusDuration(String value) {
        String v = value.trim().toUpperCase(Locale.ROOT);
        if (v.startsWith("P")) {
            return Duration.parse(v);
        }
        Matcher m = QUARKUS_DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a Quarkus duration (e.g. 30s or PT30S)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "S" : m.group(2);
        return switch (unit) {
            case "MS" -> Duration.ofMillis(n);
            case "M" -> Duration.ofMinutes(n);
            case "H" -> Duration.ofHours(n);
            case "D" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    /** A Kubernetes quantity in its base unit: bytes for memory and storage, cores for CPU. */
    static BigDecimal quantity(Quantity q) {
        return Quantity.getAmountInBytes(q);
    }

    static String mib(long bytes) {
        return (bytes / MIB) + " MiB";
    }
}
