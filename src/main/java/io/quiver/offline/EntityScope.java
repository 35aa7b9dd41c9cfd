package io.quiver.offline;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.quiver.registry.model.DataType;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;

/**
 * What an entity table of a point-in-time read spans: its distinct entities (when there are at most a bound of
 * them; else any) and its earliest and latest timestamps. A computed group's rows are restricted to it, widened by
 * the group's TTL below: nothing the join could match is left out.
 */
record EntityScope(List<Map<String, Object>> entities, Instant earliest, Instant latest) {

    /** Reads the scope of the TEMP table or view {@code entity} (keys and timestamp, see {@link PointInTimeJoin}). */
    static EntityScope of(Connection c, Map<String, DataType> keys, int maxEntities) throws SQLException {
        List<String> columns = keys.keySet().stream().map(PointInTimeJoin::keyColumn).toList();
        String keyList = String.join(", ", columns);
        try (Statement s = c.createStatement()) {
            Instant earliest;
            Instant latest;
            try (ResultSet r = s.executeQuery("SELECT epoch_us(min(" + PointInTimeJoin.TS + ")), epoch_us(max(" + PointInTimeJoin.TS
                    + ")) FROM entity")) {
                r.next();
                earliest = micros(r.getObject(1));
                latest = micros(r.getObject(2));
            }
            long distinct;
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM (SELECT DISTINCT " + keyList + " FROM entity)")) {
                r.next();
                distinct = r.getLong(1);
            }
            if (distinct > maxEntities) {
                return new EntityScope(null, earliest, latest);
            }
            List<Map<String, Object>> entities = new ArrayList<>();
            try (ResultSet r = s.executeQuery("SELECT DISTINCT " + keyList + " FROM entity")) {
                while (r.next()) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    int i = 1;
                    for (Map.Entry<String, DataType> k : keys.entrySet()) {
                        e.put(k.getKey(), k.getValue() == DataType.STRING ? r.getString(i) : (Object) r.getLong(i));
                        i++;
                    }
                    entities.add(e);
                }
            }
            return new EntityScope(entities, earliest, latest);
        }
    }

    /** The group's key values of the scope's entities (join-key order, distinct), or null for any entity. */
    List<List<Object>> keysOf(GroupSchema group) {
        if (entities == null) {
            return null;
        }
        Set<List<Object>> out = new LinkedHashSet<>();
        for (Map<String, Object> e : entities) {
            List<Object> key = group.group().entityKeys().stream().map(JoinKey::name).map(e::get).collect(Collectors.toList());
            if (!key.contains(null)) {
                out.add(List.copyOf(key));
            }
        }
        return List.copyOf(out);
    }

    /** The earliest event time the group's rows can matter from: the earliest timestamp less its TTL (none: unbounded). */
    Instant from(GroupSchema group) {
        long ttl = group.group().ttlSeconds();
        return earliest == null || ttl <= 0 ? null : earliest.minusSeconds(ttl);
    }

    Instant to() {
        return latest;
    }

    private static Instant micros(Object v) {
        if (v == null) {
            return null;
        }
        long us = ((Number) v).longValue();
        return Instant.ofEpochSecond(Math.floorDiv(us, 1_000_000L), Math.floorMod(us, 1_000_000L) * 1000);
    }
}
