package io.quiver.hybrid;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quiver.access.AccessPath;
import io.quiver.access.AccessRecorder;
import io.quiver.access.AccessSummary;
import io.quiver.access.AccessWindow;
import io.quiver.config.Mode;
import io.quiver.offline.Snapshot;
import io.quiver.online.OnlineTables;
import io.quiver.online.OnlineStore;
import io.quiver.online.OnlineStoreException;
import io.quiver.offline.SnapshotLog;
import io.quiver.registry.DataSourceRegistry;
import io.quiver.registry.EffectiveConfigResolver;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.TemplateSql;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads access metrics back per group and window, with what the group stores (the accessMetrics queries). */
@ApplicationScoped
public class AccessMetrics {

    private final AccessRecorder recorder;
    private final SnapshotLog snapshots;
    private final DataSourceRegistry sources;
    private final EffectiveConfigResolver settings;
    private final OnlineStore online;
    private final OnlineTables tables;

    public AccessMetrics(AccessRecorder recorder, SnapshotLog snapshots, DataSourceRegistry sources, EffectiveConfigResolver settings,
            OnlineStore online, OnlineTables tables) {
        this.tables = tables;
        this.recorder = recorder;
        this.snapshots = snapshots;
        this.sources = sources;
        this.settings = settings;
        this.online = online;
    }

    /** Bytes of the group version's online records, or null when the online store cannot say (down, circuit open). */
    public Long bytesOnline(FeatureGroup g) {
        try {
            return online.bytes(tables.of(g));
        } catch (OnlineStoreException e) {
            return null;
        }
    }

    /** The counters of these groups (by name) over the window, this process's latest counts included. */
    public Map<String, AccessSummary> summaries(Collection<String> groups, AccessWindow window) {
        recorder.flush();
        long now = System.currentTimeMillis();
        Map<String, Map<String, Long>> sums = recorder.store().sum(groups, window.minutes(), window.from(now), window.to(now));
        Map<String, AccessSummary> out = new java.util.HashMap<>();
        groups.forEach(g -> out.put(g, AccessSummary.of(sums.get(g))));
        return out;
    }

    /** One entry per group (latest versions), in the order given. */
    public List<GroupAccessMetrics> of(List<FeatureGroup> latest, AccessWindow window) {
        Map<String, AccessSummary> sums = summaries(latest.stream().map(FeatureGroup::name).toList(), window);
        long now = System.currentTimeMillis();
        Instant from = Instant.ofEpochMilli(window.from(now) * (window.minutes() ? 60_000 : 3_600_000));
        Instant to = Instant.ofEpochMilli(now);
        double hours = Math.max(1e-9, (now - from.toEpochMilli()) / 3.6e6);
        List<GroupAccessMetrics> out = new ArrayList<>();
        for (FeatureGroup g : latest) {
            AccessSummary s = sums.get(g.name());
            List<PathMetrics> paths = paths(s);
            long errors = paths.stream().mapToLong(PathMetrics::errors).sum();
            Optional<Snapshot> snapshot = snapshots.current(g);
            Instant latestEvent = snapshot.map(Snapshot::maxEventTime).orElse(null);
            out.add(new GroupAccessMetrics(g.name(), g.version(), window, from, to, s.reads(), s.reads() / hours,
                    s.reads(Mode.MATERIALIZED), s.reads(Mode.VIRTUALIZED), s.accesses(AccessPath.WRITE), errors, s.cacheHits(),
                    s.cacheMisses(), s.cacheHitRate(), s.lastAccess(), paths, estimatedRows(g, snapshot.orElse(null)),
                    snapshot.map(Snapshot::bytes).orElse(0L), bytesOnline(g), latestEvent,
                    latestEvent == null ? null : Math.max(0, now - latestEvent.toEpochMilli()) / 1000.0, settings.servedAs(g)));
        }
        return out;
    }

    /** Per path, what a summary holds. */
    private static List<PathMetrics> paths(AccessSummary s) {
        List<PathMetrics> paths = new ArrayList<>();
        for (AccessPath p : AccessPath.values()) {
            paths.add(new PathMetrics(p, s.accesses(p), s.accesses(p, Mode.MATERIALIZED), s.accesses(p, Mode.VIRTUALIZED), s.errors(p),
                    s.rows(p), s.bytes(p), s.quantile(p, 0.5), s.quantile(p, 0.95), s.quantile(p, 0.99),
                    s.meanMillis(p, Mode.MATERIALIZED), s.meanMillis(p, Mode.VIRTUALIZED)));
        }
        return paths;
    }

    /** A group's (all versions) accesses over the window bucket by bucket, oldest first: minutes for the last hour, else hours. */
    public List<AccessPoint> series(String group, AccessWindow window) {
        recorder.flush();
        long now = System.currentTimeMillis();
        long from = window.from(now);
        long step = window.minutes() ? 60_000 : 3_600_000;
        List<Map<String, Long>> buckets = recorder.store().series(group, window.minutes(), from, window.to(now));
        List<AccessPoint> out = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            AccessSummary s = AccessSummary.of(buckets.get(i));
            List<PathMetrics> paths = paths(s);
            out.add(new AccessPoint(Instant.ofEpochMilli((from + i) * step), s.reads(), s.reads(Mode.MATERIALIZED), s.reads(Mode.VIRTUALIZED),
                    s.accesses(AccessPath.WRITE), paths.stream().mapToLong(PathMetrics::errors).sum(), s.cacheHits(), s.cacheMisses(),
                    paths));
        }
        return out;
    }

    /** The current snapshot's rows when it has rows, else the data sources' estimates summed (templates), else null. */
    Long estimatedRows(FeatureGroup g, Snapshot snapshot) {
        if (snapshot != null && snapshot.rowCount() > 0) {
            return snapshot.rowCount();
        }
        if (g.queryTemplate() == null) {
            return snapshot == null ? null : 0L;
        }
        return sources(g).stream().mapToLong(DataSource::rowEstimate).sum();
    }

    /** The data sources the group's query template reads (none without a template; unregistered ones left out). */
    List<DataSource> sources(FeatureGroup g) {
        if (g.queryTemplate() == null) {
            return List.of();
        }
        return TemplateSql.parse(g.queryTemplate().sql()).sources().stream()
                .map(ref -> ref.contains(".") ? ref.substring(ref.indexOf('.') + 1) : ref).distinct()
                .flatMap(name -> sources.find(name).stream()).toList();
    }
}
