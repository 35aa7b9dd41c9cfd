package io.quiver.online;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The online store of the embedded default: records in this process's memory, lost on restart. */
public class InMemoryOnlineStore implements OnlineStore {

    private final Map<String, Map<String, OnlineRecord>> tables = new ConcurrentHashMap<>();

    @Override
    public long write(String table, List<OnlineRecord> records) {
        Map<String, OnlineRecord> rows = tables.computeIfAbsent(table, t -> new ConcurrentHashMap<>());
        long applied = 0;
        for (OnlineRecord r : records) {
            boolean[] replaced = {false};
            // compute() is atomic per key: concurrent writers of one entity cannot both win
            rows.compute(r.entity(), (k, current) -> {
                if (r.replaces(current)) {
                    replaced[0] = true;
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

    @Override
    public void drop(String table) {
        tables.remove(table);
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
