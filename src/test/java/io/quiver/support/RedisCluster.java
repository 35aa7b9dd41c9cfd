package io.quiver.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A Redis Cluster of a test's own on loopback: three masters and one replica each, as child processes on free ports,
 * joined with {@code redis-cli --cluster create}. A test can kill a master and wait for its replica to take over.
 * Needs {@code redis-server} and {@code redis-cli} on the PATH (.ci/run installs them). Nothing is kept on disk
 * except the nodes' cluster state files in a temporary directory.
 */
public final class RedisCluster implements AutoCloseable {

    public static final int MASTERS = 3;

    private final Path dir;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    private RedisCluster(Path dir) {
        this.dir = dir;
    }

    /** Starts six nodes, creates the cluster and waits until every node reports it ok. */
    public static RedisCluster start() {
        try {
            RedisCluster cluster = new RedisCluster(Files.createTempDirectory("redis-cluster"));
            for (int i = 0; i < 2 * MASTERS; i++) {
                cluster.ports.add(Ports.free());
            }
            for (int port : cluster.ports) {
                cluster.processes.add(cluster.node(port));
            }
            for (int port : cluster.ports) {
                awaitPing(port);
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            cluster.ports.forEach(p -> create.add("127.0.0.1:" + p));
            create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            run(create, cluster.dir.resolve("create.log"));
            cluster.awaitOk(Duration.ofSeconds(30));
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Redis cluster", e);
        }
    }

    private Process node(int port) throws IOException {
        Path nodeDir = Files.createDirectories(dir.resolve(String.valueOf(port)));
        try {
            return new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "1000", "--save", "", "--appendonly", "no", "--dir",
                    nodeDir.toString())).redirectErrorStream(true).redirectOutput(nodeDir.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("redis-server is not on the PATH; install it (apt-get install redis-server)", e);
        }
    }

    /** {@code redis://127.0.0.1:p1,redis://127.0.0.1:p2,...}: every node, for {@code quarkus.redis.hosts}. */
    public String hosts() {
        return ports.stream().map(p -> "redis://127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    /** The ports of the live nodes that are masters now. */
    public List<Integer> masters() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            if (processes.get(i) != null && cli(ports.get(i), "ROLE").startsWith("master")) {
                out.add(ports.get(i));
            }
        }
        return out;
    }

    /** The ports of the live nodes that are replicas now. */
    public List<Integer> replicas() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            if (processes.get(i) != null && cli(ports.get(i), "ROLE").startsWith("slave")) {
                out.add(ports.get(i));
            }
        }
        return out;
    }

    /** Stops the node's process (SIGSTOP) without closing its connections: it neither answers nor acknowledges. */
    public void freeze(int port) {
        signal(port, "-STOP");
    }

    /** Lets a frozen node run again (SIGCONT). */
    public void thaw(int port) {
        signal(port, "-CONT");
    }

    private void signal(int port, String signal) {
        run(List.of("kill", signal, String.valueOf(processes.get(ports.indexOf(port)).pid())), dir.resolve("signal.log"));
    }

    /** The port of the i-th node (as started). */
    public int port(int i) {
        return ports.get(i);
    }

    /** Kills every node, as a crash of the whole cluster would (their data is gone; their cluster state stays on disk). */
    public void stopAll() {
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i) != null) {
                kill(ports.get(i));
            }
        }
    }

    /** Starts every stopped node again, empty, on its port; the nodes find each other from their state files. */
    public void startAll(Duration timeout) {
        try {
            for (int i = 0; i < ports.size(); i++) {
                if (processes.get(i) == null) {
                    processes.set(i, node(ports.get(i)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ports.forEach(RedisCluster::awaitPing);
        awaitOk(timeout);
    }

    /** Kills the node on the port, as a crash would. */
    public void kill(int port) {
        int i = ports.indexOf(port);
        Process p = processes.get(i);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        processes.set(i, null);
    }

    /** Waits until every live node reports {@code cluster_state:ok} (after a failover: the replica took over). */
    public void awaitOk(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            boolean ok = true;
            for (int i = 0; i < ports.size() && ok; i++) {
                if (processes.get(i) != null) {
                    ok = cli(ports.get(i), "CLUSTER", "INFO").contains("cluster_state:ok");
                }
            }
            if (ok) {
                return;
            }
            pause(100);
        }
        throw new IllegalStateException("the Redis cluster did not become ok within " + timeout + " (see " + dir + ")");
    }

    /** Runs redis-cli against one node and returns its output (empty when the node does not answer). */
    public static String cli(int port, String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void run(List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(command + " failed: " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void awaitPing(int port) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (RedisServer.ping("127.0.0.1", port)) {
                return;
            }
            pause(50);
        }
        throw new IllegalStateException("redis-server did not answer on port " + port);
    }

    @Override
    public void close() {
        for (int i = 0; i < processes.size(); i++) {
            if (processes.get(i) != null) {
                kill(ports.get(i));
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // polling child processes; nothing to wait on instead
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
