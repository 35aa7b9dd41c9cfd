package io.quiver.serving;

import java.util.List;
import java.util.Map;

import io.quiver.config.QuiverConfig;
import io.quiver.online.OnlineLoader;
import io.quiver.online.OnlineRecord;
import io.quiver.registry.model.GroupSchema;
import io.quiver.virtual.ResultCache;
import io.quiver.virtual.VirtualReads;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Online reads of virtual groups: the requested entities' rows computed by the group's template, then each
 * entity's latest record picked with the online store's own rules ({@link OnlineLoader#latest}), so statuses, TTL
 * and ties read exactly as for a stored group.
 */
@ApplicationScoped
public class VirtualLatest {

    private final VirtualReads reads;
    private final OnlineLoader loader;
    private final java.time.Duration timeout;

    public VirtualLatest(VirtualReads reads, OnlineLoader loader, QuiverConfig config) {
        this.reads = reads;
        this.loader = loader;
        this.timeout = config.virtual().queryTimeout();
    }

    /** The latest record of each entity that has one, by the entity's stored key. */
    Map<String, OnlineRecord> read(GroupSchema group, GroupKeys keys) {
        try (ResultCache.Lease rows = reads.slice(group, keys.values(), null, null)) {
            return loader.latest(group, List.of(rows.file()), keys.values(), timeout);
        }
    }
}
