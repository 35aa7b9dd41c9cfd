package io.quiver.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark Connect server for tests: Spark 4.2's {@code SparkConnectServer} from Maven jars alone (no Spark
 * distribution), in local mode, as a child process on a free loopback port. Its classpath is resolved once by Maven
 * from {@code tools/spark-server/pom.xml} into {@code target/spark-server.classpath} (about 300 MB of jars, cached in
 * the local repository). Ready in 5-10 s; one server is shared by every test of the JVM and stopped at its exit.
 */
public final class SparkConnectServer implements AutoCloseable {

    private static final Path CLASSPATH = Path.of("target", "spark-server.classpath").toAbsolutePath();
    private static SparkConnectServer shared;

    private final Process process;
    private final int port;
    private final Path log;

    private SparkConnectServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The JVM's one server, started on first use. */
    public static synchronized SparkConnectServer shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
            SparkConnectServer server = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "spark-connect-stop"));
        }
        return shared;
    }

    /** The address a client connects to: {@code sc://127.0.0.1:<port>}. */
    public String url() {
        return "sc://127.0.0.1:" + port;
    }

    /** What the server has logged so far (for a failing test's message). */
    public String log() {
        try {
            String all = Files.readString(log);
            return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static SparkConnectServer start() {
        return start(java.util.Map.of());
    }

    /**
     * A server of the caller's own, with more Spark settings ({@code spark.hadoop.fs.s3a.*}, say); {@link #close()} it.
     */
    public static SparkConnectServer start(java.util.Map<String, String> conf) {
        try {
            String classpath = classpath();
            int port = Ports.free();
            Path dir = Files.createTempDirectory("spark-connect");
            Path log = dir.resolve("server.log");
            String java = ProcessHandle.current().info().command().orElse("java");
            // -DsparkTestXmx: benchmarks give the server more (a 10M-row window sort spills less)
            List<String> command = new ArrayList<>(List.of(java, "-Xmx" + System.getProperty("sparkTestXmx", "2g"),
                    "-XX:+IgnoreUnrecognizedVMOptions"));
            for (String p : List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util",
                    "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
                    "sun.security.action", "sun.util.calendar")) {
                command.add("--add-opens=java.base/" + p + "=ALL-UNNAMED");
            }
            command.addAll(List.of("-Djdk.reflect.useDirectMethodHandle=false", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
                    "-Dspark.sql.shuffle.partitions=4", "-Dspark.sql.session.timeZone=UTC", "-Dspark.sql.runSQLOnFiles=false",
                    "-Dspark.local.dir=" + dir.resolve("local"), "-Dspark.sql.warehouse.dir=" + dir.resolve("warehouse"),
                    "-Dspark.connect.grpc.binding.address=127.0.0.1", "-Dspark.connect.grpc.binding.port=" + port,
                    "-Dderby.system.home=" + dir));
            conf.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.addAll(List.of("-cp", classpath, "org.apache.spark.sql.connect.service.SparkConnectServer"));
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            SparkConnectServer server = new SparkConnectServer(process, port, log);
            server.awaitPort(Duration.ofSeconds(90));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the Spark Connect server", e);
        }
    }

    /** The server's jars, resolved by Maven on first use (the README's test command needs nothing else). */
    private static synchronized String classpath() throws IOException {
        if (!Files.isRegularFile(CLASSPATH) || Files.size(CLASSPATH) == 0) {
            Path mvnw = Path.of("mvnw").toAbsolutePath();
            Process mvn = new ProcessBuilder(mvnw.toString(), "-B", "-q", "-f", Path.of("tools", "spark-server", "pom.xml").toAbsolutePath().toString(),
                    "dependency:build-classpath", "-Dmdep.outputFile=" + CLASSPATH).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target", "spark-server-resolve.log").toFile())).start();
            try {
                if (!mvn.waitFor(15, TimeUnit.MINUTES) || mvn.exitValue() != 0) {
                    mvn.destroyForcibly();
                    throw new IllegalStateException("Maven could not resolve the Spark Connect server's jars; see target/spark-server-resolve.log");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while resolving the Spark Connect server's jars", e);
            }
        }
        return Files.readString(CLASSPATH).strip();
    }

    private void awaitPort(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Spark Connect server exited at start: " + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(200); // polling a child process's socket; nothing to wait on instead
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the Spark Connect server started", e);
                }
            }
        }
        stop();
        throw new IllegalStateException("the Spark Connect server did not open port " + port + " within " + timeout + ": " + log());
    }

    /** Stops a server started with {@link #start(java.util.Map)}. */
    public void close() {
        stop();
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
