package io.quiver.online;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The online store of the embedded default: records in this process's memory, lost on restart. */
public class InMemoryOnlineStore implements OnlineStore {

    private final Map<String, Map<String, OnlineRecord>> tables = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();

    @Override
    public long write(String table, List<OnlineRecord> records) {
        Map<String, OnlineRecord> rows = tables.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        AtomicLong size = bytes.computeIfAbsent(table, t -> new AtomicLong());
        long applied = 0;
        for (OnlineRecord r : records) {
            boolean[] replaced = {false};
            // compute() is atomic per key: concurrent writers of one entity cannot both win
            rows.compute(r.entity(), (k, current) -> {
                if (r.replaces(current)) {
                    replaced[0] = true;
                    size.addAndGet(size(table, r) - (current == null ? 0 : size(table, current)));
                    return r;
                }
                return current;
            });
            applied += replaced[0] ? 1 : 0;
        }
        return applied;
    }

    @Override
    public List<OnlineRecord> read(List<OnlineKey> keys) {
        List<OnlineRecord> out = new ArrayList<>(keys.size());
        for (OnlineKey k : keys) {
            Map<String, OnlineRecord> rows = tables.get(k.table());
            out.add(rows == null ? null : rows.get(k.entity()));
        }
        return out;
    }

    /** Bytes of a record counted the way the Redis store counts them: key, times as decimal text, payload. */
    static long size(String table, OnlineRecord r) {
        return (table + ":" + r.entity()).getBytes(StandardCharsets.UTF_8).length + Long.toString(r.eventMicros()).length()
                + Long.toString(r.createdMicros()).length() + r.payload().getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public long bytes(String table) {
        AtomicLong size = bytes.get(table);
        return size == null ? 0 : size.get();
    }

    @Override
    public void drop(String table) {
        // the table and its generations ({@code <table>:...}), as the Redis store's key pattern does
        tables.keySet().removeIf(t -> t.equals(table) || t.startsWith(table + ":"));
        bytes.keySet().removeIf(t -> t.equals(table) || t.startsWith(table + ":"));
    }

    @Override
    public void checkReady() {
        // always ready
    }

    @Override
    public String location() {
        return "in-process memory";
    }
}
