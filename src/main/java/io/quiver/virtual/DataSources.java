package io.quiver.virtual;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.offline.ObjectFileCache;
import io.quiver.registry.DataSourceRegistry;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.KeyValue;
import io.quiver.registry.model.Names;
import io.quiver.registry.model.SourceColumn;
import io.quiver.registry.model.SourceFormat;
import io.quiver.registry.spec.DataSourceSpec;
import io.quiver.registry.spec.MetadataSpec;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Lake data sources: registration looks at the files (the seeds' {@code register_data_source}): it lists them,
 * fetches a few into the file cache, and lets DuckDB read their schema and count their rows, then keeps the
 * result in the registry. Reads list a source's files again (at most every {@code quiver.virtual.listing-ttl}), so
 * their version, and every cached result keyed by it, follows the lake.
 */
@ApplicationScoped
public class DataSources {

    /** Files a registration reads to learn the schema and the rows per byte. */
    private static final int SAMPLE_FILES = 3;
    private static final Set<String> OPTIONS = Set.of("delimiter", "timePartition");

    private final DataSourceRegistry registry;
    private final ObjectStore objects;
    private final ObjectFileCache cache;
    private final VirtualEngine engine;
    private final Cache<String, Listing> listings;

    /** A source's files now, and their version. */
    public record Listing(List<LakeFiles.LakeFile> files, String version) {
    }

    public DataSources(DataSourceRegistry registry, ObjectStore objects, ObjectFileCache cache, VirtualEngine engine, QuiverConfig config) {
        this.registry = registry;
        this.objects = objects;
        this.cache = cache;
        this.engine = engine;
        Duration ttl = config.virtual().listingTtl();
        this.listings = Caffeine.newBuilder().expireAfterWrite(ttl.isZero() ? Duration.ofNanos(1) : ttl).maximumSize(10_000).build();
    }

    /** Registers (or re-registers) a data source after reading its files' schema. */
    public DataSource register(DataSourceSpec spec) {
        Map<String, String> options = check(spec);
        List<LakeFiles.LakeFile> files = LakeFiles.list(objects, spec.location().trim(), spec.format());
        if (files.isEmpty()) {
            Violations v = new Violations();
            v.add("location", ValidationRule.SOURCE_LOCATION, "no " + spec.format() + " file is under '" + spec.location()
                    + "'; give the prefix or glob of the data source's files in the object store");
            v.throwIfAny("The data source", false);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        DataSource draft = new DataSource(0, spec.name(), spec.layer(), spec.location().trim(), spec.format(),
                options.entrySet().stream().map(e -> new KeyValue(e.getKey(), e.getValue())).toList(), List.of(), files.size(),
                files.stream().mapToLong(f -> f.object().size()).sum(), 0, LakeFiles.version(files), now, now);
        Discovered found = discover(draft, files);
        DataSource source = new DataSource(0, draft.name(), draft.layer(), draft.location(), draft.format(), draft.options(),
                found.columns(), draft.files(), draft.bytes(), found.rowEstimate(), draft.version(), now, now);
        if (options.containsKey("timePartition") && source.columns().stream().noneMatch(c -> c.partition() && c.name().equals(options.get("timePartition")))) {
            Violations v = new Violations();
            v.add("options.timePartition", ValidationRule.SOURCE_LOCATION, "'" + options.get("timePartition") + "' is not a partition "
                    + "of the files' paths (name=value/ directories); partitions found: "
                    + source.columns().stream().filter(SourceColumn::partition).map(SourceColumn::name).toList());
            v.throwIfAny("The data source", false);
        }
        listings.invalidate(source.name());
        return registry.save(source);
    }

    /** Looks at the files again: a new version, file count, size, schema and row estimate. */
    public DataSource refresh(String name) {
        DataSource old = registry.get(name);
        Map<String, String> options = new LinkedHashMap<>();
        old.options().forEach(o -> options.put(o.key(), o.value()));
        return register(new DataSourceSpec(old.name(), old.layer(), old.location(), old.format(),
                options.entrySet().stream().map(e -> new MetadataSpec(e.getKey(), e.getValue())).toList()));
    }

    public void delete(String name) {
        registry.delete(name);
        listings.invalidate(name);
    }

    /** The source's files now (listed again at most every listing TTL), with their version. */
    public Listing files(DataSource source) {
        return listings.get(source.name() + "\u0000" + source.location(), k -> {
            List<LakeFiles.LakeFile> files = LakeFiles.list(objects, source);
            return new Listing(files, LakeFiles.version(files));
        });
    }

    private record Discovered(List<SourceColumn> columns, long rowEstimate) {
    }

    /** Schema from a few files (DuckDB's own reader detection), rows per byte of those files times all bytes. */
    private Discovered discover(DataSource source, List<LakeFiles.LakeFile> files) {
        List<LakeFiles.LakeFile> sample = files.stream().sorted(Comparator.comparing((LakeFiles.LakeFile f) -> f.object().key()))
                .limit(SAMPLE_FILES).toList();
        Set<String> partitions = new LinkedHashSet<>();
        files.forEach(f -> partitions.addAll(f.partitions().keySet()));
        try (ObjectFileCache.Lease lease = cache.leaseVersions(sample.stream().map(LakeFiles.LakeFile::object).toList());
                VirtualEngine.Session session = engine.open(); Statement s = session.connection().createStatement();
                DuckDbEngine.Deadline deadline = session.deadline(s)) {
            String paths = sample.stream().map(f -> DuckDbTypes.literal(lease.path(f.object().key()).toString()))
                    .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
            String relation = switch (source.format()) {
                case PARQUET -> "read_parquet(" + paths + ", hive_partitioning = true, union_by_name = true)";
                case CSV -> "read_csv(" + paths + ", header = true, hive_partitioning = true, union_by_name = true"
                        + (source.option("delimiter") == null ? "" : ", delim = " + DuckDbTypes.literal(source.option("delimiter"))) + ")";
                case JSON -> "read_json(" + paths + ", format = 'newline_delimited', hive_partitioning = true, union_by_name = true)";
            };
            List<SourceColumn> columns = new ArrayList<>();
            try (ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
                while (r.next()) {
                    String name = r.getString("column_name");
                    columns.add(new SourceColumn(name, r.getString("column_type"), partitions.contains(name)));
                }
            }
            long sampleRows;
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM " + relation)) {
                r.next();
                sampleRows = r.getLong(1);
            }
            long sampleBytes = sample.stream().mapToLong(f -> f.object().size()).sum();
            long allBytes = files.stream().mapToLong(f -> f.object().size()).sum();
            long estimate = sample.size() == files.size() || sampleBytes == 0 ? sampleRows
                    : Math.round((double) sampleRows / sampleBytes * allBytes);
            return new Discovered(columns, estimate);
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.SCHEMA_VALIDATION_FAILED, "the files of data source '" + source.name() + "' could not "
                    + "be read as " + source.format() + " (" + DuckDbQueryExecutor.message(e) + "); check the location and format",
                    List.of(new io.quiver.error.Violation("format", ValidationRule.SOURCE_LOCATION, "the files are not readable as "
                            + source.format())), e);
        }
    }

    /** The spec's problems, all listed; returns the options. */
    private static Map<String, String> check(DataSourceSpec spec) {
        Violations v = new Violations();
        if (spec == null) {
            v.add("dataSource", ValidationRule.REQUIRED, "give a data source: name, layer, location, format");
            v.throwIfAny("The data source", false);
        }
        if (spec.name() == null || !Names.isValid(spec.name())) {
            v.add("name", spec.name() == null ? ValidationRule.REQUIRED : ValidationRule.NAME_PATTERN,
                    "a data source needs a name matching " + Names.PATTERN_TEXT);
        }
        if (spec.layer() == null) {
            v.add("layer", ValidationRule.REQUIRED, "give the layer: BRONZE, SILVER or GOLD");
        }
        if (spec.format() == null) {
            v.add("format", ValidationRule.REQUIRED, "give the format: PARQUET, CSV or JSON");
        }
        String location = spec.location() == null ? null : spec.location().trim();
        if (location == null || location.isEmpty() || location.length() > 1000 || location.startsWith("/") || location.contains("..")
                || location.contains("//") || location.contains(":") || !location.matches("[A-Za-z0-9_.=*?/-]+")) {
            v.add("location", ValidationRule.SOURCE_LOCATION, "'" + location + "' is not a location: give a key prefix or glob inside "
                    + "the object store, e.g. lake/silver/transactions/ or lake/silver/tx/**/*.parquet (no scheme, no leading '/', no '..')");
        }
        Map<String, String> options = new LinkedHashMap<>();
        List<MetadataSpec> given = spec.options() == null ? List.of() : spec.options();
        for (int i = 0; i < given.size(); i++) {
            MetadataSpec o = given.get(i);
            String key = o == null ? null : o.key();
            if (key == null || !OPTIONS.contains(key)) {
                v.add("options[" + i + "].key", ValidationRule.UNKNOWN_SETTING, "'" + key + "' is not a data source option; known: " + OPTIONS);
            } else if (o.value() == null || o.value().isBlank()) {
                v.add("options[" + i + "].value", ValidationRule.REQUIRED, key + " needs a value");
            } else if (key.equals("delimiter") && (o.value().length() != 1 || spec.format() != SourceFormat.CSV)) {
                v.add("options[" + i + "].value", ValidationRule.SETTING_VALUE, "delimiter is one character, for CSV sources");
            } else if (key.equals("timePartition") && !Names.isValid(o.value())) {
                v.add("options[" + i + "].value", ValidationRule.SETTING_VALUE, "timePartition names a partition column " + Names.PATTERN_TEXT);
            } else {
                options.put(key, o.value());
            }
        }
        v.throwIfAny("The data source", false);
        return options;
    }

    /** Objects of a listing, for leases. */
    static List<ObjectInfo> objects(List<LakeFiles.LakeFile> files) {
        return files.stream().map(LakeFiles.LakeFile::object).toList();
    }
}
