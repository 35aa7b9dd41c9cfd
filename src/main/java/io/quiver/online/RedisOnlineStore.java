package io.quiver.online;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.RedisOptions;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * The online store in Redis (standalone or cluster). Layout: one hash per table and entity, key
 * {@code <prefix><table>:<entity>}, fields {@code t} (event time, microseconds since the epoch, decimal), {@code c}
 * (created time, the same way; the smallest long when the group has none) and {@code v} (the encoded values). A
 * read of any number of keys is one pipelined batch of {@code HMGET}s per node: one round trip standalone, one per
 * master in parallel on a cluster. Writes run a Lua script that compares event times inside Redis, so the
 * newer-wins rule holds under any concurrency; standalone, one script call covers up to {@code keysPerScript}
 * entities; on a cluster a script may only touch one slot, so it covers one entity, and the scripts go in one
 * pipeline per master. With {@code waitReplicas} above 0 each pipeline of writes ends with {@code WAIT}, and a write
 * that reached fewer replicas fails: what a write call acknowledged survives the failover of its master.
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

    private final Redis redis;
    private final io.vertx.core.Vertx vertx;
    private final String prefix;
    private final Duration readTimeout;
    private final Duration writeTimeout;
    private final boolean cluster;
    private final int keysPerScript;
    private final int scriptsPerBatch;
    private final int waitReplicas;
    private final String nodeUri;
    private final String password;
    private final String location;

    /**
     * @param vertx for connections to single cluster nodes (a drop scans every master); null standalone
     * @param waitReplicas replicas every write must reach before it is acknowledged (0: Redis' asynchronous replication)
     * @param nodeUri the first configured host, whose scheme and credentials connections to single nodes reuse
     * @param password {@code quarkus.redis.password} when set apart from the hosts (null otherwise)
     */
    public RedisOnlineStore(Redis redis, io.vertx.core.Vertx vertx, String prefix, Duration readTimeout, Duration writeTimeout,
            boolean cluster, int keysPerScript, int waitReplicas, String nodeUri, String password, String location) {
        this.redis = redis;
        this.vertx = vertx;
        this.waitReplicas = Math.max(0, waitReplicas);
        this.nodeUri = nodeUri;
        this.password = password;
        this.prefix = prefix;
        this.readTimeout = readTimeout;
        this.writeTimeout = writeTimeout;
        this.cluster = cluster;
        this.keysPerScript = cluster ? 1 : Math.max(1, keysPerScript);
        this.scriptsPerBatch = cluster ? 1_000 : 20; // about 5,000 entities per round trip standalone, 1,000 spread over the masters
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
            if (batch.size() == scriptsPerBatch) {
                sum(send(batch, writeTimeout, "write", true), applied);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            sum(send(batch, writeTimeout, "write", true), applied);
        }
        if (applied[1] != 0) {
            // after the scripts, not inside them: a cluster script may touch one slot only. A crash in between loses
            // this delta, so the counter is an estimate (docs/architecture.md)
            send(List.of(Request.cmd(Command.INCRBY).arg(bytesKey(table)).arg(applied[1])), writeTimeout, "count bytes", false);
        }
        return applied[0];
    }

    @Override
    public long bytes(String table) {
        Response r = send(List.of(Request.cmd(Command.GET).arg(bytesKey(table))), readTimeout, "read a byte count", false).get(0);
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
        List<Response> responses = send(requests, readTimeout, "read", false);
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
        String pattern = prefix + table + ":*";
        if (!cluster) {
            scanAndUnlink(redis, pattern);
        } else {
            // SCAN sees one node's keys: every master is scanned on a connection of its own
            for (String master : masters()) {
                RedisOptions options = new RedisOptions().setConnectionString(nodeUri(master)).setMaxPoolSize(1);
                if (password != null) {
                    options.setPassword(password);
                }
                Redis node = Redis.newInstance(io.vertx.redis.client.Redis.createClient(vertx, options));
                try {
                    scanAndUnlink(node, pattern);
                } finally {
                    node.close();
                }
            }
        }
        send(List.of(Request.cmd(Command.UNLINK).arg(bytesKey(table))), writeTimeout, "delete", false);
    }

    /** Unlinks every key of the pattern the client's node holds, a page at a time (one key per UNLINK: slots differ). */
    private void scanAndUnlink(Redis client, String pattern) {
        String cursor = "0";
        do {
            Response page = Response.newInstance(await(client.getDelegate().send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH")
                    .arg(pattern).arg("COUNT").arg(1000).getDelegate()), writeTimeout, "scan"));
            cursor = page.get(0).toString();
            List<Request> unlinks = new ArrayList<>();
            page.get(1).forEach(k -> unlinks.add(Request.cmd(Command.UNLINK).arg(k.toString())));
            if (!unlinks.isEmpty()) {
                await(client.getDelegate().batch(unlinks.stream().map(Request::getDelegate).toList()), writeTimeout, "delete");
            }
        } while (!cursor.equals("0"));
    }

    /** host:port of every master, from CLUSTER SLOTS. */
    private Set<String> masters() {
        Response slots = send(List.of(Request.cmd(Command.CLUSTER).arg("SLOTS")), writeTimeout, "list the cluster's nodes", false).get(0);
        Set<String> out = new LinkedHashSet<>();
        slots.forEach(range -> out.add(range.get(2).get(0).toString() + ":" + range.get(2).get(1).toLong()));
        return out;
    }

    /** The configured host's URI (scheme, credentials, database) pointed at another node. */
    String nodeUri(String hostPort) {
        URI base = URI.create(nodeUri);
        return base.getScheme() + "://" + (base.getRawUserInfo() == null ? "" : base.getRawUserInfo() + "@") + hostPort
                + (base.getRawPath() == null ? "" : base.getRawPath());
    }

    @Override
    public void checkReady() {
        if (!cluster) {
            send(List.of(Request.cmd(Command.PING)), readTimeout, "answer PING", false);
            return;
        }
        // every master: a cluster whose one master is down cannot serve the keys of its slots
        await(redis.getDelegate().connect().compose(conn -> RedisCluster.create(conn)
                .onAllMasterNodes(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.PING))
                .andThen(done -> conn.close())), readTimeout, "answer PING on every master");
    }

    @Override
    public void close() {
        if (cluster) {
            redis.close(); // the cluster client is the store's own; the standalone one belongs to Quarkus
        }
    }

    @Override
    public String location() {
        return location;
    }

    /**
     * Sends the requests as one pipeline per node (standalone: one) and returns their responses in request order.
     * {@code durable} writes end each pipeline with {@code WAIT} when {@code waitReplicas} is above 0, and fail when a
     * node's replicas did not all confirm them in time.
     */
    private List<Response> send(List<Request> requests, Duration timeout, String what, boolean durable) {
        List<io.vertx.redis.client.Request> core = requests.stream().map(Request::getDelegate).toList();
        if (!cluster) {
            io.vertx.redis.client.Redis client = redis.getDelegate();
            return await(pipelines(List.of(core), core, durable, timeout, client::send, client::batch), timeout, what);
        }
        // one cluster connection (a pooled connection per node) for the grouping and all the node pipelines: a
        // connect per step would borrow a connection from every node's pool each time
        Future<List<Response>> all = redis.getDelegate().connect().compose(conn -> RedisCluster.create(conn).groupByNodes(core)
                .compose(groups -> pipelines(groups, core, durable, timeout, conn::send, conn::batch))
                .andThen(done -> conn.close()));
        return await(all, timeout, what);
    }

    /** Sends each group as one pipeline ({@code one} for a single request) and returns the responses in request order. */
    private Future<List<Response>> pipelines(List<List<io.vertx.redis.client.Request>> groups, List<io.vertx.redis.client.Request> core,
            boolean durable, Duration timeout,
            java.util.function.Function<io.vertx.redis.client.Request, Future<io.vertx.redis.client.Response>> one,
            java.util.function.Function<List<io.vertx.redis.client.Request>, Future<List<io.vertx.redis.client.Response>>> many) {
        boolean waits = durable && waitReplicas > 0;
        long waitMillis = Math.max(1, timeout.toMillis() / 2);
        List<Future<List<io.vertx.redis.client.Response>>> batches = new ArrayList<>();
        for (List<io.vertx.redis.client.Request> group : groups) {
            List<io.vertx.redis.client.Request> pipeline = new ArrayList<>(group);
            if (waits) {
                pipeline.add(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.WAIT).arg(waitReplicas).arg(waitMillis));
            }
            batches.add(pipeline.size() == 1 ? one.apply(pipeline.get(0)).map(r -> java.util.Collections.singletonList(r))
                    : many.apply(pipeline));
        }
        return Future.all(batches).map(done -> {
            Map<io.vertx.redis.client.Request, Integer> position = new IdentityHashMap<>();
            for (int i = 0; i < core.size(); i++) {
                position.put(core.get(i), i);
            }
            Response[] out = new Response[core.size()];
            for (int g = 0; g < groups.size(); g++) {
                List<io.vertx.redis.client.Response> answers = batches.get(g).result();
                List<io.vertx.redis.client.Request> group = groups.get(g);
                for (int i = 0; i < group.size(); i++) {
                    io.vertx.redis.client.Response r = answers.get(i);
                    out[position.get(group.get(i))] = r == null ? null : Response.newInstance(r);
                }
                if (waits && answers.get(group.size()).toInteger() < waitReplicas) {
                    throw new ReplicationShortfallException(answers.get(group.size()).toInteger(), waitReplicas, waitMillis);
                }
            }
            return java.util.Arrays.asList(out);
        });
    }

    private <T> T await(Future<T> future, Duration timeout, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(what, timeout, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplicationShortfallException shortfall) {
                throw shortfall;
            }
            throw failure(what, timeout, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw failure(what, timeout, e);
        }
    }

    private OnlineStoreException failure(String what, Duration timeout, Throwable cause) {
        return new OnlineStoreException("the online store (Redis) failed to " + what + " within " + timeout.toMillis()
                + " ms; retry later", "Redis at " + location + ": " + cause, cause);
    }

    /** Adds each script's (applied, byte delta) to the totals. */
    private static void sum(List<Response> responses, long[] totals) {
        for (Response r : responses) {
            totals[0] += r.get(0).toLong();
            totals[1] += r.get(1).toLong();
        }
    }
}
