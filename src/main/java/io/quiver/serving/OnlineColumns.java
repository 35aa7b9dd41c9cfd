package io.quiver.serving;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quiver.online.OnlineCodec;
import io.quiver.online.OnlineRecord;
import io.quiver.registry.FeatureSelection.GroupFeatures;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.serving.OnlineResult.Column;
import io.quiver.serving.OnlineResult.ValueStatus;

/**
 * An online answer's columns: entity keys as requested, then per requested feature one value, status and event time
 * per entity. A record older than the group's TTL at read time is OUTSIDE_MAX_AGE with its value withheld.
 */
final class OnlineColumns {

    private OnlineColumns() {
    }

    /** A key column: the values as the client sent them, PRESENT, at the epoch (as Feast answers). */
    static Column key(String key, List<Map<String, Object>> entities) {
        List<Object> values = new ArrayList<>(entities.size());
        List<ValueStatus> statuses = new ArrayList<>(entities.size());
        List<Instant> times = new ArrayList<>(entities.size());
        for (Map<String, Object> entity : entities) {
            values.add(entity.get(key));
            statuses.add(ValueStatus.PRESENT);
            times.add(Instant.EPOCH);
        }
        return new Column(key, values, statuses, times);
    }

    /**
     * The requested features of one group, from each entity's record (null: none).
     *
     * @param nowMicros the read's moment, for the TTL check
     */
    static List<Column> features(GroupFeatures read, List<OnlineRecord> records, long nowMicros) {
        Map<String, FeatureDataType> wanted = new HashMap<>();
        read.features().forEach(f -> wanted.put(f.name(), f.dataTypeDetail()));
        List<Map<String, Object>> decoded = new ArrayList<>(records.size());
        List<Instant> times = new ArrayList<>(records.size());
        for (OnlineRecord r : records) {
            decoded.add(r == null ? null : OnlineCodec.decode(r.payload(), wanted));
            // one Instant per record, shared by the group's columns (clients format it once)
            times.add(r == null ? null : Instant.ofEpochSecond(Math.floorDiv(r.eventMicros(), 1_000_000L),
                    Math.floorMod(r.eventMicros(), 1_000_000L) * 1000));
        }
        List<Column> columns = new ArrayList<>(read.features().size());
        FeatureGroup g = read.schema().group();
        for (int f = 0; f < read.features().size(); f++) {
            columns.add(feature(read.names().get(f), read.features().get(f).name(), g, records, decoded, times, nowMicros));
        }
        return columns;
    }

    private static Column feature(String name, String feature, FeatureGroup g, List<OnlineRecord> records,
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
}
