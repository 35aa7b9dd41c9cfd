package io.quiver.serving;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;

import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.Failures;
import io.quiver.error.QuiverException;
import io.quiver.offline.ObjectFileCache;
import io.quiver.offline.Snapshot;
import io.quiver.offline.SnapshotFile;
import io.quiver.offline.SnapshotLog;
import io.quiver.online.OnlineLoader;
import io.quiver.online.OnlineRecord;
import io.quiver.registry.model.GroupSchema;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;

/**
 * Entities' latest records read from a group version's current snapshot instead of the online store (offline-only
 * groups, and every group while the online store fails), with the online store's rules. Bounded: at most
 * {@code quiver.online.max-concurrent-fallbacks} at once (beyond, SERVICE_BUSY at once), each within
 * {@code quiver.online.fallback-timeout}, and only the files whose first-key range holds a wanted entity are read
 * (within them, only such row groups).
 */
@ApplicationScoped
public class OfflineLatest {

    private final SnapshotLog snapshots;
    private final ObjectFileCache files;
    private final OnlineLoader loader;
    private final Guard bulkhead;
    private final int maxConcurrent;
    private final java.time.Duration timeout;

    public OfflineLatest(SnapshotLog snapshots, ObjectFileCache files, OnlineLoader loader, QuiverConfig config) {
        this.snapshots = snapshots;
        this.files = files;
        this.loader = loader;
        this.maxConcurrent = config.online().maxConcurrentFallbacks();
        this.timeout = config.online().fallbackTimeout();
        this.bulkhead = Guard.create().withDescription("offline fallback reads").withBulkhead().limit(maxConcurrent).done().build();
    }

    /** The latest record of each entity (typed key values in join-key order) that has one, by the entity's stored key. */
    public Map<String, OnlineRecord> read(GroupSchema g, List<List<Object>> keys) {
        try {
            return bulkhead.call(() -> {
                Snapshot head = snapshots.current(g.group()).orElse(null);
                List<SnapshotFile> data = head == null ? List.of() : KeyRanges.holding(snapshots.files(head), keys,
                        g.group().entityKeys().get(0).valueType());
                if (data.isEmpty()) {
                    return Map.<String, OnlineRecord>of();
                }
                try (ObjectFileCache.Lease lease = files.leaseFiles(data)) {
                    return loader.latest(g, lease.paths(), keys, timeout);
                }
            }, new TypeLiteral<Map<String, OnlineRecord>>() {
            });
        } catch (BulkheadException e) {
            throw new QuiverException(ErrorCode.SERVICE_BUSY, "the online store is unavailable and this replica already serves "
                    + maxConcurrent + " reads from the offline store (quiver.online.max-concurrent-fallbacks); retry shortly", e);
        } catch (QuiverException e) {
            throw e;
        } catch (Exception e) {
            throw Failures.classify(e);
        }
    }
}
