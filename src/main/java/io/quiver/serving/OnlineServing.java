package io.quiver.serving;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.offline.ObjectFileCache;
import io.quiver.offline.Snapshot;
import io.quiver.offline.SnapshotFile;
import io.quiver.offline.SnapshotLog;
import io.quiver.online.OnlineCodec;
import io.quiver.online.OnlineKey;
import io.quiver.online.OnlineLoader;
import io.quiver.online.OnlineRecord;
import io.quiver.online.OnlineStore;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.serving.OnlineResult.Column;
import io.quiver.serving.OnlineResult.Source;
import io.quiver.serving.OnlineResult.ValueStatus;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Online reads: the latest values of a few entities across groups. Every online-enabled group's records for every
 * entity come from the online store in one round trip; offline-only groups, and every group while the online store
 * fails (timeout, down, circuit open), are answered from the offline store's current snapshot instead, and the
 * answer says so ({@code degraded}). Each value has a status: PRESENT, NULL_VALUE, NOT_FOUND or OUTSIDE_MAX_AGE
 * (older than the group's TTL at read time; the value is withheld), and its event time.
 */
@ApplicationScoped
public class OnlineServing {

    private static final Logger LOG = Logger.getLogger(OnlineServing.class);
    static final int MAX_LISTED = 100;

    private final FeatureResolver resolver;
    private final OnlineStore store;
    private final OnlineLoader loader;
    private final SnapshotLog snapshots;
    private final ObjectFileCache files;
    private final io.smallrye.faulttolerance.api.Guard fallbacks;
    private final int maxFallbacks;
    private final java.time.Duration fallbackTimeout;
    private final Timer readTimer;
    private final Timer degradedTimer;

    public OnlineServing(FeatureResolver resolver, OnlineStore store, OnlineLoader loader, SnapshotLog snapshots,
            ObjectFileCache files, MeterRegistry metrics, io.quiver.config.QuiverConfig config) {
        this.maxFallbacks = config.online().maxConcurrentFallbacks();
        this.fallbackTimeout = config.online().fallbackTimeout();
        this.fallbacks = io.smallrye.faulttolerance.api.Guard.create().withDescription("offline fallback reads")
                .withBulkhead().limit(maxFallbacks).done().build();
        this.resolver = resolver;
        this.store = store;
        this.loader = loader;
        this.snapshots = snapshots;
        this.files = files;
        this.readTimer = Timer.builder("quiver.online.read").description("Online reads, by whether they were degraded")
                .tag("degraded", "false").register(metrics);
        this.degradedTimer = Timer.builder("quiver.online.read").description("Online reads, by whether they were degraded")
                .tag("degraded", "true").register(metrics);
    }

    /** The features of one group version asked for, with their output names. */
    private record GroupRead(GroupSchema schema, List<Feature> features, List<String> names) {
    }

    /**
     * @param entities one map per entity: join key name to value (every requested group's keys)
     */
    public OnlineResult read(List<String> references, List<Map<String, Object>> entities, boolean fullFeatureNames) {
        long started = System.nanoTime();
        if (references == null || references.isEmpty()) {
            throw new InvalidArgumentException("name at least one feature, e.g. features: [\"customer_profile.age\"]");
        }
        if (entities == null || entities.isEmpty()) {
            throw new InvalidArgumentException("give at least one entity (its join keys and their values)");
        }
        Map<GroupSchema, GroupRead> groups = new LinkedHashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (String reference : references) {
            ResolvedFeature r = resolver.resolve(reference);
            String name = fullFeatureNames ? r.feature().group() + "__" + r.feature().name() : r.feature().name();
            if (!names.add(name)) {
                throw new InvalidArgumentException("two requested features would both be named '" + name + "'"
                        + (fullFeatureNames ? "; each feature may be requested once" : "; set fullFeatureNames: true"));
            }
            GroupRead g = groups.computeIfAbsent(r.schema(), s -> new GroupRead(s, new ArrayList<>(), new ArrayList<>()));
            g.features().add(r.feature());
            g.names().add(name);
        }
        Map<String, DataType> keyTypes = EntityKeys.keyTypes(groups.keySet());
        List<Map<String, Object>> typedKeys = typedKeys(entities, keyTypes);

        // Encoded entity key per group and entity.
        Map<GroupSchema, List<String>> encoded = new HashMap<>();
        Map<GroupSchema, List<List<Object>>> raw = new HashMap<>();
        for (GroupSchema g : groups.keySet()) {
            List<String> keys = new ArrayList<>(entities.size());
            List<List<Object>> values = new ArrayList<>(entities.size());
            for (Map<String, Object> entity : typedKeys) {
                List<Object> key = g.group().entityKeys().stream().map(k -> entity.get(k.name())).toList();
                values.add(key);
                keys.add(EntityKeys.encode(key));
            }
            encoded.put(g, keys);
            raw.put(g, values);
        }

        Map<GroupSchema, Map<String, OnlineRecord>> found = new HashMap<>();
        Map<GroupSchema, OnlineResult.GroupSource> sources = new LinkedHashMap<>();
        List<GroupSchema> online = groups.keySet().stream().filter(g -> g.group().onlineEnabled()).toList();
        boolean degraded = false;
        if (!online.isEmpty()) {
            List<OnlineKey> keys = new ArrayList<>();
            for (GroupSchema g : online) {
                String table = OnlineCodec.table(g.group());
                encoded.get(g).forEach(k -> keys.add(new OnlineKey(table, k)));
            }
            try {
                List<OnlineRecord> records = store.read(keys);
                int i = 0;
                for (GroupSchema g : online) {
                    Map<String, OnlineRecord> byKey = new HashMap<>();
                    for (String k : encoded.get(g)) {
                        OnlineRecord r = records.get(i++);
                        if (r != null) {
                            byKey.put(k, r);
                        }
                    }
                    found.put(g, byKey);
                    sources.put(g, new OnlineResult.GroupSource(g.group().name(), g.group().version(), Source.ONLINE, null));
                }
            } catch (QuiverException e) {
                degraded = true;
                LOG.warnf("online read degraded to the offline store: %s", e instanceof io.quiver.online.OnlineStoreException o
                        ? o.detail() : e.getMessage());
                for (GroupSchema g : online) {
                    found.put(g, fromOffline(g, raw.get(g)));
                    sources.put(g, new OnlineResult.GroupSource(g.group().name(), g.group().version(), Source.OFFLINE,
                            "the online store is unavailable (" + e.code() + "): read from the latest snapshot instead"));
                }
            }
        }
        for (GroupSchema g : groups.keySet()) {
            if (!g.group().onlineEnabled()) {
                found.put(g, fromOffline(g, raw.get(g)));
                sources.put(g, new OnlineResult.GroupSource(g.group().name(), g.group().version(), Source.OFFLINE,
                        "the group is offline-only (onlineEnabled: false): read from its latest snapshot"));
            }
        }

        List<Column> columns = new ArrayList<>();
        keyTypes.keySet().forEach(k -> columns.add(keyColumn(k, typedKeys, entities)));
        long now = Instant.now().toEpochMilli() * 1000;
        for (GroupRead read : groups.values()) {
            FeatureGroup g = read.schema().group();
            Map<String, FeatureDataType> wanted = new HashMap<>();
            read.features().forEach(f -> wanted.put(f.name(), f.dataTypeDetail()));
            List<Map<String, Object>> decoded = new ArrayList<>(entities.size());
            List<OnlineRecord> records = new ArrayList<>(entities.size());
            List<Instant> times = new ArrayList<>(entities.size());
            for (String k : encoded.get(read.schema())) {
                OnlineRecord r = found.get(read.schema()).get(k);
                records.add(r);
                decoded.add(r == null ? null : OnlineCodec.decode(r.payload(), wanted));
                // one Instant per record, shared by the group's columns (clients format it once)
                times.add(r == null ? null : Instant.ofEpochSecond(Math.floorDiv(r.eventMicros(), 1_000_000L),
                        Math.floorMod(r.eventMicros(), 1_000_000L) * 1000));
            }
            for (int f = 0; f < read.features().size(); f++) {
                columns.add(featureColumn(read.names().get(f), read.features().get(f).name(), g, records, decoded, times, now));
            }
        }
        double latencyMs = (System.nanoTime() - started) / 1e6;
        (degraded ? degradedTimer : readTimer).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        List<String> featureNames = columns.stream().map(Column::name).toList();
        return new OnlineResult(columns, new OnlineResult.Metadata(featureNames, latencyMs, degraded, List.copyOf(sources.values())));
    }

    /**
     * The entities' latest records from the group version's current snapshot. Bounded: at most
     * {@code quiver.online.max-concurrent-fallbacks} at once (beyond, SERVICE_BUSY at once), each within
     * {@code quiver.online.fallback-timeout}, and only the files whose first-key range holds a wanted entity are read
     * (within them, only such row groups).
     */
    private Map<String, OnlineRecord> fromOffline(GroupSchema g, List<List<Object>> keys) {
        try {
            return fallbacks.call(() -> {
                Snapshot head = snapshots.current(g.group()).orElse(null);
                List<SnapshotFile> data = head == null ? List.of() : KeyRanges.holding(snapshots.files(head), keys,
                        g.group().entityKeys().get(0).valueType());
                if (data.isEmpty()) {
                    return Map.<String, OnlineRecord>of();
                }
                try (ObjectFileCache.Lease lease = files.leaseFiles(data)) {
                    return loader.latest(g, lease.paths(), keys, fallbackTimeout);
                }
            }, new jakarta.enterprise.util.TypeLiteral<Map<String, OnlineRecord>>() {
            });
        } catch (org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException e) {
            throw new QuiverException(io.quiver.error.ErrorCode.SERVICE_BUSY, "the online store is unavailable and this replica "
                    + "already serves " + maxFallbacks + " reads from the offline store (quiver.online.max-concurrent-fallbacks); "
                    + "retry shortly", e);
        } catch (QuiverException e) {
            throw e;
        } catch (Exception e) {
            throw io.quiver.error.Failures.classify(e);
        }
    }

    private static Column keyColumn(String key, List<Map<String, Object>> typed, List<Map<String, Object>> entities) {
        List<Object> values = new ArrayList<>(entities.size());
        List<ValueStatus> statuses = new ArrayList<>(entities.size());
        List<Instant> times = new ArrayList<>(entities.size());
        for (int i = 0; i < entities.size(); i++) {
            values.add(entities.get(i).get(key));
            statuses.add(ValueStatus.PRESENT);
            times.add(Instant.EPOCH);
        }
        return new Column(key, values, statuses, times);
    }

    private static Column featureColumn(String name, String feature, FeatureGroup g, List<OnlineRecord> records,
            List<Map<String, Object>> decoded, List<Instant> times, long nowMicros) {
        List<Object> values = new ArrayList<>(records.size());
        List<ValueStatus> statuses = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            OnlineRecord r = records.get(i);
            if (r == null) {
                values.add(null);
                statuses.add(ValueStatus.NOT_FOUND);
                continue;
            }
            Object value = decoded.get(i).get(feature);
            if (g.ttlSeconds() > 0 && r.eventMicros() < nowMicros - g.ttlSeconds() * 1_000_000L) {
                values.add(null);
                statuses.add(ValueStatus.OUTSIDE_MAX_AGE);
            } else {
                values.add(value);
                statuses.add(value == null ? ValueStatus.NULL_VALUE : ValueStatus.PRESENT);
            }
        }
        return new Column(name, values, statuses, times);
    }

    /** Typed join key values per entity, or every problem listed. */
    private static List<Map<String, Object>> typedKeys(List<Map<String, Object>> entities, Map<String, DataType> keyTypes) {
        List<Violation> listed = new ArrayList<>();
        long total = 0;
        List<Map<String, Object>> out = new ArrayList<>(entities.size());
        for (int i = 0; i < entities.size(); i++) {
            Map<String, Object> entity = entities.get(i) == null ? Map.of() : entities.get(i);
            Map<String, Object> typed = new HashMap<>();
            for (Map.Entry<String, DataType> k : keyTypes.entrySet()) {
                Object v = entity.get(k.getKey());
                Object converted = EntityKeys.convert(v, k.getValue());
                if (converted == null) {
                    total++;
                    if (listed.size() < MAX_LISTED) {
                        listed.add(new Violation("entities[" + i + "]." + k.getKey(), v == null ? "MISSING_KEY" : "TYPE",
                                v == null ? "every entity needs the join key '" + k.getKey() + "' of the requested groups"
                                        : "'" + v + "' is not a valid " + k.getValue() + " key"));
                    }
                }
                typed.put(k.getKey(), converted);
            }
            out.add(typed);
        }
        if (total > 0) {
            throw new SchemaValidationException("The entities", listed, total, false);
        }
        return out;
    }
}
