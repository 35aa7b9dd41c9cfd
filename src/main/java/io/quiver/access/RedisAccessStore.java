package io.quiver.access;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * Access counters in Redis, shared by every replica: a hash per group and bucket, key
 * {@code <prefix>access:{<group>}:m:<minute>} or {@code ...:h:<hour>} (the group in braces keeps a group's buckets on
 * one cluster slot), fields added by a script per bucket (HINCRBY, the larger latest access, EXPIRE), each bucket
 * expiring when it is no longer kept. One flush is one pipelined round trip; a window read is one script per group
 * (its buckets summed inside Redis), pipelined too; a series is one script per bucket, pipelined.
 */
public class RedisAccessStore implements AccessStore {

    private final Redis redis;
    private final String prefix;
    private final Duration timeout;
    private final boolean cluster;
    private final String location;

    public RedisAccessStore(Redis redis, String prefix, Duration timeout, boolean cluster, String location) {
        this.redis = redis;
        this.prefix = prefix;
        this.timeout = timeout;
        this.cluster = cluster;
        this.location = location;
    }

    private String key(String group, boolean minutes, long index) {
        return prefix + "access:{" + group + "}:" + (minutes ? "m:" : "h:") + index;
    }

    /**
     * One bucket's flush, atomic inside Redis: adds each field's delta, keeps the larger latest access (replicas flush
     * in any order), renews the expiry. ARGV: seconds to keep, latest access (0: none), then field and delta pairs.
     */
    private static final String ADD = """
            for i = 3, #ARGV, 2 do redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1]) end
            local last = tonumber(ARGV[2])
            if last > 0 and last > tonumber(redis.call('HGET', KEYS[1], 'last') or '0') then
              redis.call('HSET', KEYS[1], 'last', ARGV[2])
            end
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            return 1
            """;

    @Override
    public void add(List<Delta> deltas) {
        List<Request> requests = new ArrayList<>();
        for (Delta d : deltas) {
            for (boolean minutes : new boolean[] {true, false}) {
                long keptSeconds = minutes ? (MINUTE_BUCKETS_KEPT + 1) * 60 : (HOUR_BUCKETS_KEPT + 1) * 3600;
                Request add = Request.cmd(Command.EVAL).arg(ADD).arg(1).arg(key(d.group(), minutes, minutes ? d.minute() : d.minute() / 60))
                        .arg(keptSeconds).arg(Math.max(0, d.lastAccessMillis()));
                d.counts().forEach((field, n) -> add.arg(field).arg(n));
                requests.add(add);
            }
        }
        if (!requests.isEmpty()) {
            run(requests, "record access metrics");
        }
    }

    /**
     * A group's buckets summed inside Redis (the largest {@code last}), so a window costs one command per group
     * however many buckets it spans; the keys share the group's slot. Returns field, value pairs.
     */
    private static final String SUM = """
            local sums = {}
            for _, key in ipairs(KEYS) do
              local h = redis.call('HGETALL', key)
              for i = 1, #h, 2 do
                local v = tonumber(h[i + 1])
                if h[i] == 'last' then
                  if v > (sums['last'] or 0) then sums['last'] = v end
                else
                  sums[h[i]] = (sums[h[i]] or 0) + v
                end
              end
            end
            local out = {}
            for f, v in pairs(sums) do out[#out + 1] = f; out[#out + 1] = string.format('%.0f', v) end
            return out
            """;

    @Override
    public Map<String, Map<String, Long>> sum(Collection<String> groups, boolean minutes, long from, long to) {
        List<Request> requests = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        long first = AccessStore.oldestKept(minutes, from, to);
        for (String g : groups) {
            if (first > to) {
                continue;
            }
            Request sum = Request.cmd(Command.EVAL).arg(SUM).arg(to - first + 1);
            for (long i = first; i <= to; i++) {
                sum.arg(key(g, minutes, i));
            }
            requests.add(sum);
            owners.add(g);
        }
        List<Response> responses = requests.isEmpty() ? List.of() : run(requests, "read access metrics");
        Map<String, Map<String, Long>> out = new HashMap<>();
        for (int i = 0; i < responses.size(); i++) {
            Response r = responses.get(i);
            if (r == null || r.size() == 0) {
                continue;
            }
            Map<String, Long> summed = new HashMap<>();
            for (int j = 0; j + 1 < r.size(); j += 2) {
                summed.put(r.get(j).toString(), Long.parseLong(r.get(j + 1).toString()));
            }
            out.put(owners.get(i), summed);
        }
        return out;
    }

    /** A group's buckets one by one: the summing script over one bucket each, all in one pipelined round trip. */
    @Override
    public List<Map<String, Long>> series(String group, boolean minutes, long from, long to) {
        long first = AccessStore.oldestKept(minutes, from, to);
        List<Request> requests = new ArrayList<>();
        for (long i = Math.max(from, first); i <= to; i++) {
            requests.add(Request.cmd(Command.EVAL).arg(SUM).arg(1).arg(key(group, minutes, i)));
        }
        List<Response> responses = requests.isEmpty() ? List.of() : run(requests, "read access metrics");
        List<Map<String, Long>> out = new ArrayList<>();
        for (long i = from; i < Math.max(from, first); i++) {
            out.add(Map.of());
        }
        for (Response r : responses) {
            Map<String, Long> bucket = new HashMap<>();
            for (int j = 0; r != null && j + 1 < r.size(); j += 2) {
                bucket.put(r.get(j).toString(), Long.parseLong(r.get(j + 1).toString()));
            }
            out.add(bucket);
        }
        return out;
    }

    @Override
    public String location() {
        return location;
    }

    private List<Response> run(List<Request> requests, String what) {
        try {
            Uni<List<Response>> call = cluster
                    ? Uni.join().all(requests.stream().map(redis::send).toList()).andFailFast()
                    : redis.batch(requests);
            return call.await().atMost(timeout);
        } catch (RuntimeException e) {
            throw new QuiverException(ErrorCode.ONLINE_STORE_UNAVAILABLE, "the access metrics store (Redis) failed to " + what
                    + " within " + timeout.toMillis() + " ms; retry later", e);
        }
    }
}
