package io.quiver.online;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The online store in Redis (standalone or cluster). Layout: one hash per table and entity, key
 * {@code <prefix><table>:<entity>}, fields {@code t} (event time, microseconds since the epoch, decimal), {@code c}
 * (created time, the same way; the smallest long when the group has none) and {@code v} (the encoded values). A read of any number of keys is one pipelined batch of {@code HMGET}s: one round
 * trip. Writes run a Lua script that compares event times inside Redis, so the newer-wins rule holds under any
 * concurrency; standalone, one script call covers up to {@code keysPerScript} entities and the calls go in one batch.
 * In cluster mode a script may only touch one slot, so it covers one entity, and commands are sent concurrently
 * (the cluster client routes each to its node) instead of as one pipeline.
 */
public class RedisOnlineStore implements OnlineStore {

    /**
     * KEYS = entity hashes; ARGV = event time, created time and payload per key. A record replaces the stored one when
     * its (event time, created time) is not older. Returns how many were replaced or created, and by how many bytes
     * (key and field values) the stored records grew.
     */
    static final String WRITE_SCRIPT = """
            local applied = 0
            local delta = 0
            for i = 1, #KEYS do
              local t = ARGV[3 * i - 2]
              local c = ARGV[3 * i - 1]
              local current = redis.call('HMGET', KEYS[i], 't', 'c')
              local ct = tonumber(current[1])
              local cc = tonumber(current[2])
              local nt = tonumber(t)
              if (not ct) or ct < nt or (ct == nt and ((not cc) or cc <= tonumber(c))) then
                if ct then
                  delta = delta - #KEYS[i] - #current[1] - #(current[2] or '') - redis.call('HSTRLEN', KEYS[i], 'v')
                end
                redis.call('HSET', KEYS[i], 't', t, 'c', c, 'v', ARGV[3 * i])
                delta = delta + #KEYS[i] + #t + #c + #ARGV[3 * i]
                applied = applied + 1
              end
            end
            return {applied, delta}""";

    private static final int SCRIPTS_PER_BATCH = 20;

    private final Redis redis;
    private final String prefix;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final boolean cluster;
    private final int keysPerScript;
    private final String location;

    public RedisOnlineStore(Redis redis, String prefix, Duration readTimeout, Duration writeTimeout, boolean cluster,
            int keysPerScript, String location) {
        this.redis = redis;
        this.prefix = prefix;
        this.readTimeout = readTimeout;
        this.writeTimeout = writeTimeout;
        this.cluster = cluster;
        this.keysPerScript = cluster ? 1 : Math.max(1, keysPerScript);
        this.location = location;
    }

    String key(String table, String entity) {
        return prefix + table + ":" + entity;
    }

    /** The table's byte counter: outside the table's key pattern (entities are JSON arrays, tables hold no '#'). */
    String bytesKey(String table) {
        return prefix + table + "#bytes";
    }

    @Override
    public long write(String table, List<OnlineRecord> records) {
        long[] applied = new long[2];
        List<Request> batch = new ArrayList<>();
        for (int start = 0; start < records.size(); start += keysPerScript) {
            List<OnlineRecord> chunk = records.subList(start, Math.min(records.size(), start + keysPerScript));
            Request eval = Request.cmd(Command.EVAL).arg(WRITE_SCRIPT).arg(chunk.size());
            chunk.forEach(r -> eval.arg(key(table, r.entity())));
            chunk.forEach(r -> eval.arg(Long.toString(r.eventMicros())).arg(Long.toString(r.createdMicros())).arg(r.payload()));
            batch.add(eval);
            if (batch.size() == SCRIPTS_PER_BATCH) {
                sum(run(batch, writeTimeout, "write"), applied);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            sum(run(batch, writeTimeout, "write"), applied);
        }
        if (applied[1] != 0) {
            // after the scripts, not inside them: a cluster script may touch one slot only. A crash in between loses
            // this delta, so the counter is an estimate (docs/architecture.md)
            run(List.of(Request.cmd(Command.INCRBY).arg(bytesKey(table)).arg(applied[1])), writeTimeout, "count bytes");
        }
        return applied[0];
    }

    @Override
    public long bytes(String table) {
        Response r = run(List.of(Request.cmd(Command.GET).arg(bytesKey(table))), readTimeout, "read a byte count").get(0);
        return r == null ? 0 : Math.max(0, r.toLong());
    }

    @Override
    public List<OnlineRecord> read(List<OnlineKey> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<Request> requests = new ArrayList<>(keys.size());
        for (OnlineKey k : keys) {
            requests.add(Request.cmd(Command.HMGET).arg(key(k.table(), k.entity())).arg("t").arg("c").arg("v"));
        }
        List<Response> responses = run(requests, readTimeout, "read");
        List<OnlineRecord> out = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Response r = responses.get(i);
            Response t = r == null ? null : r.get(0);
            Response c = r == null ? null : r.get(1);
            Response v = r == null ? null : r.get(2);
            out.add(t == null || v == null ? null : new OnlineRecord(keys.get(i).entity(), Long.parseLong(t.toString()),
                    c == null ? OnlineRecord.NO_CREATED_TIME : Long.parseLong(c.toString()), v.toString()));
        }
        return out;
    }

    @Override
    public void drop(String table) {
        // SCAN is per node; a cluster would need it on every master. Standalone only; documented.
        String cursor = "0";
        do {
            Response page = run(List.of(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + table + ":*")
                    .arg("COUNT").arg(1000)), writeTimeout, "scan").get(0);
            cursor = page.get(0).toString();
            Response keys = page.get(1);
            if (keys.size() > 0) {
                Request unlink = Request.cmd(Command.UNLINK);
                keys.forEach(k -> unlink.arg(k.toString()));
                run(List.of(unlink), writeTimeout, "delete");
            }
        } while (!cursor.equals("0"));
        run(List.of(Request.cmd(Command.UNLINK).arg(bytesKey(table))), writeTimeout, "delete");
    }

    @Override
    public void checkReady() {
        run(List.of(Request.cmd(Command.PING)), readTimeout, "answer PING");
    }

    @Override
    public String location() {
        return location;
    }

    private List<Response> run(List<Request> requests, Duration timeout, String what) {
        try {
            Uni<List<Response>> call = cluster
                    ? Uni.join().all(requests.stream().map(redis::send).toList()).andFailFast()
                    : redis.batch(requests);
            return call.await().atMost(timeout);
        } catch (RuntimeException e) {
            throw new OnlineStoreException("the online store (Redis) failed to " + what + " within " + timeout.toMillis()
                    + " ms; retry later", "Redis at " + location + ": " + e.getMessage(), e);
        }
    }

    /** Adds each script's (applied, byte delta) to the totals. */
    private static void sum(List<Response> responses, long[] totals) {
        for (Response r : responses) {
            totals[0] += r.get(0).toLong();
            totals[1] += r.get(1).toLong();
        }
    }
}
