package io.quiver.offline;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;

/** The seeds' refresh_features: recomputes a group version's statistics from its current snapshot and keeps them. */
// Json reads and writes the per-feature statistics with JsonPolicy.shared(), outside Quarkus' view
@RegisterForReflection(targets = FeatureStatistics.class, registerFullHierarchy = true)
@ApplicationScoped
@ActivateRequestContext
public class StatisticsService {

    private final RegistryCatalog catalog;
    private final SnapshotLog snapshots;
    private final ObjectFileCache files;
    private final DuckDbEngine engine;

    private final io.quiver.audit.AuditLog audit;

    public StatisticsService(RegistryCatalog catalog, SnapshotLog snapshots, ObjectFileCache files, DuckDbEngine engine,
            io.quiver.audit.AuditLog audit) {
        this.audit = audit;
        this.catalog = catalog;
        this.snapshots = snapshots;
        this.files = files;
        this.engine = engine;
    }

    @Transactional
    public GroupStatistics refresh(String group, int version) {
        GroupSchema schema = catalog.group(group, version);
        FeatureGroup g = schema.group();
        Optional<Snapshot> snapshot = snapshots.current(g);
        List<SnapshotFile> data = snapshot.map(snapshots::files).orElse(List.of());
        long rows = 0;
        List<FeatureStatistics> features = new ArrayList<>();
        if (data.isEmpty()) {
            schema.features().forEach(f -> features.add(new FeatureStatistics(f.name(), 0, null, null)));
        } else {
            List<String> select = new ArrayList<>(List.of("count(*)"));
            for (Feature f : schema.features()) {
                String c = DuckDbTypes.quote(f.name());
                boolean scalar = !f.dataTypeDetail().base().isNested();
                select.add("count(*) - count(" + c + ")");
                select.add(scalar ? "CAST(min(" + c + ") AS VARCHAR)" : "NULL");
                select.add(scalar ? "CAST(max(" + c + ") AS VARCHAR)" : "NULL");
            }
            try (ObjectFileCache.Lease lease = files.leaseFiles(data);
                    Connection c = engine.connect(); Statement s = c.createStatement()) {
                SnapshotScan scan = SnapshotScan.of(c, schema, lease.paths());
                try (ResultSet r = s.executeQuery("SELECT " + String.join(", ", select) + " FROM " + scan.relation())) {
                    r.next();
                    rows = r.getLong(1);
                    int i = 2;
                    for (Feature f : schema.features()) {
                        features.add(new FeatureStatistics(f.name(), r.getLong(i), r.getString(i + 1), r.getString(i + 2)));
                        i += 3;
                    }
                }
            } catch (SQLException e) {
                throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not compute statistics of "
                        + g.name() + " version " + g.version() + " in the query engine; retry, or report it with the request id", e);
            }
        }
        GroupStatisticsRow existing = GroupStatisticsRow.findById(g.id());
        GroupStatisticsRow row = existing != null ? existing : new GroupStatisticsRow();
        row.groupId = g.id();
        row.snapshotId = snapshot.map(Snapshot::id).orElse(null);
        row.rowCount = rows;
        row.features = Json.write(features);
        row.computedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (existing == null) {
            row.persist();
        }
        audit.changed("REFRESH_FEATURES", g.name() + "@" + g.version(), "statistics of " + features.size() + " features over " + rows
                + " rows" + snapshot.map(x -> " (snapshot " + x.id() + ")").orElse(""));
        return toModel(row);
    }

    /** The last computed statistics of each group (by group id); groups never refreshed are absent. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<Long, GroupStatistics> latest(Collection<Long> groupIds) {
        Map<Long, GroupStatistics> out = new HashMap<>();
        if (!groupIds.isEmpty()) {
            List<GroupStatisticsRow> rows = GroupStatisticsRow.list("groupId in ?1", groupIds);
            rows.forEach(r -> out.put(r.groupId, toModel(r)));
        }
        return out;
    }

    private static GroupStatistics toModel(GroupStatisticsRow row) {
        List<FeatureStatistics> features = Json.read(row.features, new TypeReference<List<FeatureStatistics>>() {
        });
        return new GroupStatistics(row.snapshotId, row.rowCount, features, row.computedAt);
    }
}
