package io.quiver.serving;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quiver.access.AccessPath;
import io.quiver.access.AccessRecorder;
import io.micrometer.core.instrument.Timer;
import io.quiver.error.InvalidArgumentException;
import io.quiver.error.QuiverException;
import io.quiver.error.Violations;
import io.quiver.online.OnlineTables;
import io.quiver.online.OnlineKey;
import io.quiver.online.OnlineRecord;
import io.quiver.online.OnlineStore;
import io.quiver.online.OnlineStoreException;
import io.quiver.config.Mode;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.FeatureResolver;
import io.quiver.registry.FeatureServices;
import io.quiver.registry.FeatureSelection;
import io.quiver.registry.FeatureSelection.GroupFeatures;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.EntityKeys;
import io.quiver.registry.model.GroupSchema;
import io.quiver.serving.OnlineResult.Column;
import io.quiver.serving.OnlineResult.GroupSource;
import io.quiver.serving.OnlineResult.Source;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Online reads: the latest values of a few entities across groups. Every online-enabled group's records for every
 * entity come from the online store in one round trip; offline-only groups, and every group while the online store
 * fails (timeout, down, circuit open), are answered from the offline store's current snapshot instead
 * ({@link OfflineLatest}), and the answer says so ({@code degraded}); groups served VIRTUALIZED are computed from
 * lake data by their templates ({@link VirtualLatest}), with the same rules. Each value has a status: PRESENT, NULL_VALUE,
 * NOT_FOUND or OUTSIDE_MAX_AGE (older than the group's TTL at read time; the value is withheld), and its event time.
 */
@ApplicationScoped
public class OnlineServing {

    private static final Logger LOG = Logger.getLogger(OnlineServing.class);

    private final FeatureResolver resolver;
    private final OnlineStore store;
    private final OfflineLatest offline;
    private final VirtualLatest virtual;
    private final EffectiveConfigResolver settings;
    private final Timer readTimer;
    private final Timer degradedTimer;
    private final AccessRecorder access;
    private final FeatureServices services;
    private final OnlineTables tables;
    private final io.micrometer.core.instrument.Counter fallbacks;

    public OnlineServing(FeatureResolver resolver, OnlineStore store, OfflineLatest offline, VirtualLatest virtual,
            EffectiveConfigResolver settings, MeterRegistry metrics, AccessRecorder access, FeatureServices services, OnlineTables tables) {
        this.tables = tables;
        this.services = services;
        this.access = access;
        this.fallbacks = io.micrometer.core.instrument.Counter.builder("quiver.online.fallbacks")
                .description("Online reads answered from the offline store because the online store failed").register(metrics);
        this.resolver = resolver;
        this.store = store;
        this.offline = offline;
        this.virtual = virtual;
        this.settings = settings;
        this.readTimer = Timer.builder("quiver.online.read").description("Online reads, by whether they were degraded")
                .tag("degraded", "false").register(metrics);
        this.degradedTimer = Timer.builder("quiver.online.read").description("Online reads, by whether they were degraded")
                .tag("degraded", "true").register(metrics);
    }

    /** Each group's records, one per entity (null: none), and where they came from. */
    private record Fetched(Map<GroupSchema, List<OnlineRecord>> records, Map<GroupSchema, GroupSource> sources, boolean degraded) {
    }

    /**
     * @param entities one map per entity: join key name to value (every requested group's keys)
     */
    public OnlineResult read(List<String> references, List<Map<String, Object>> entities, boolean fullFeatureNames) {
        return read(references, null, entities, fullFeatureNames);
    }

    /**
     * Reads the features of the feature service (when named, its latest version or {@code name@version}) followed by
     * the listed ones; the answer names the service version read.
     */
    public OnlineResult read(List<String> references, String featureService, List<Map<String, Object>> entities, boolean fullFeatureNames) {
        long started = System.nanoTime();
        FeatureServices.Selection asked = services.select(references, featureService);
        FeatureSelection selection = FeatureSelection.resolve(resolver, asked.references(), fullFeatureNames);
        if (entities == null || entities.isEmpty()) {
            throw new InvalidArgumentException("give at least one entity (its join keys and their values)");
        }
        List<Map<String, Object>> typed = typedKeys(entities, selection.keyTypes());
        Map<GroupSchema, GroupKeys> keys = new HashMap<>();
        selection.schemas().forEach(g -> keys.put(g, GroupKeys.of(g, typed)));

        Fetched fetched = fetch(selection.schemas(), keys);

        List<Column> columns = new ArrayList<>();
        selection.keyTypes().keySet().forEach(k -> columns.add(OnlineColumns.key(k, entities)));
        long now = Instant.now().toEpochMilli() * 1000;
        for (GroupFeatures read : selection.groups()) {
            columns.addAll(OnlineColumns.features(read, fetched.records().get(read.schema()), now));
        }
        long took = System.nanoTime() - started;
        (fetched.degraded() ? degradedTimer : readTimer).record(took, TimeUnit.NANOSECONDS);
        List<String> featureNames = columns.stream().map(Column::name).toList();
        return new OnlineResult(columns, new OnlineResult.Metadata(featureNames, took / 1e6, fetched.degraded(),
                List.copyOf(fetched.sources().values()), asked.label()));
    }

    /**
     * Virtual groups computed by their templates; online-enabled groups from the online store in one round trip (all
     * of them from their snapshots when it fails); offline-only groups from their snapshots.
     */
    private Fetched fetch(List<GroupSchema> groups, Map<GroupSchema, GroupKeys> keys) {
        Map<GroupSchema, List<OnlineRecord>> records = new HashMap<>();
        Map<GroupSchema, GroupSource> sources = new LinkedHashMap<>();
        List<GroupSchema> computed = groups.stream().filter(g -> settings.servedAs(g.group()) == Mode.VIRTUALIZED).toList();
        for (GroupSchema g : computed) {
            long t0 = System.nanoTime();
            Map<String, OnlineRecord> latest;
            try {
                latest = virtual.read(g, keys.get(g));
            } catch (RuntimeException e) {
                access.failure(g.group().name(), AccessPath.ONLINE);
                throw e;
            }
            access.access(g.group().name(), AccessPath.ONLINE, Mode.VIRTUALIZED, System.nanoTime() - t0, keys.get(g).encoded().size(), 0);
            records.put(g, keys.get(g).encoded().stream().map(latest::get).toList());
            sources.put(g, new GroupSource(g.group().name(), g.group().version(), Source.VIRTUAL,
                    "computed from lake data by the group's query template"));
        }
        List<GroupSchema> online = groups.stream().filter(g -> g.group().onlineEnabled() && !computed.contains(g)).toList();
        boolean degraded = false;
        if (!online.isEmpty()) {
            List<OnlineKey> wanted = new ArrayList<>();
            for (GroupSchema g : online) {
                String table = tables.of(g.group());
                keys.get(g).encoded().forEach(k -> wanted.add(new OnlineKey(table, k)));
            }
            long t0 = System.nanoTime();
            try {
                List<OnlineRecord> found = store.read(wanted);
                long took = System.nanoTime() - t0;
                int at = 0;
                for (GroupSchema g : online) {
                    int n = keys.get(g).encoded().size();
                    records.put(g, new ArrayList<>(found.subList(at, at + n)));
                    at += n;
                    access.access(g.group().name(), AccessPath.ONLINE, Mode.MATERIALIZED, took, n, 0);
                    sources.put(g, new GroupSource(g.group().name(), g.group().version(), Source.ONLINE, null));
                }
            } catch (QuiverException e) {
                degraded = true;
                fallbacks.increment();
                LOG.warnf("online read degraded to the offline store: %s", e instanceof OnlineStoreException o ? o.detail() : e.getMessage());
                for (GroupSchema g : online) {
                    access.failure(g.group().name(), AccessPath.ONLINE);
                    records.put(g, fromSnapshot(g, keys.get(g)));
                    sources.put(g, new GroupSource(g.group().name(), g.group().version(), Source.OFFLINE,
                            "the online store is unavailable (" + e.code() + "): read from the latest snapshot instead"));
                }
            }
        }
        for (GroupSchema g : groups) {
            if (!g.group().onlineEnabled() && !computed.contains(g)) {
                records.put(g, fromSnapshot(g, keys.get(g)));
                sources.put(g, new GroupSource(g.group().name(), g.group().version(), Source.OFFLINE,
                        "the group is offline-only (onlineEnabled: false): read from its latest snapshot"));
            }
        }
        Map<GroupSchema, GroupSource> ordered = new LinkedHashMap<>();
        groups.forEach(g -> ordered.put(g, sources.get(g)));
        return new Fetched(records, ordered, degraded);
    }

    private List<OnlineRecord> fromSnapshot(GroupSchema g, GroupKeys keys) {
        long t0 = System.nanoTime();
        Map<String, OnlineRecord> latest;
        try {
            latest = offline.read(g, keys.values());
        } catch (RuntimeException e) {
            access.failure(g.group().name(), AccessPath.ONLINE);
            throw e;
        }
        access.access(g.group().name(), AccessPath.ONLINE, Mode.MATERIALIZED, System.nanoTime() - t0, keys.encoded().size(), 0);
        return keys.encoded().stream().map(latest::get).toList();
    }

    /** Typed join key values per entity, or every problem listed. */
    private static List<Map<String, Object>> typedKeys(List<Map<String, Object>> entities, Map<String, DataType> keyTypes) {
        Violations violations = new Violations();
        List<Map<String, Object>> out = new ArrayList<>(entities.size());
        for (int i = 0; i < entities.size(); i++) {
            out.add(EntityKeys.typed(entities.get(i), keyTypes, "entities[" + i + "]", violations));
        }
        violations.throwIfAny("The entities", false);
        return out;
    }
}
