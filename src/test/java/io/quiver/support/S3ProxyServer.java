package io.quiver.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.io.UncheckedIOException;

/**
 * A real S3 server for tests: S3Proxy (fetched by Maven into target/s3proxy) run as a child process on a free
 * loopback port, with the in-memory "transient" backend. Started in about a second; destroyed on {@link #close()}.
 */
public final class S3ProxyServer implements AutoCloseable {

    public static final String ACCESS_KEY = "quiver-test";
    public static final String SECRET_KEY = "quiver-test-secret";

    private Process process;
    private final int port;
    private final List<String> command;
    private final Path log;

    private S3ProxyServer(Process process, int port, List<String> command, Path log) {
        this.process = process;
        this.port = port;
        this.command = command;
        this.log = log;
    }

    /** In memory (the tests' objects are small). */
    public static S3ProxyServer start() {
        return start(null);
    }

    /**
     * @param filesystem keep objects as files under this directory (benchmarks: gigabytes do not fit S3Proxy's heap);
     *        null keeps them in memory
     */
    public static S3ProxyServer start(Path filesystem) {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing; run the tests through Maven (it copies S3Proxy there)");
        }
        try {
            int port = Ports.free();
            Path dir = Files.createTempDirectory("s3proxy");
            Path properties = dir.resolve("s3proxy.properties");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v2-or-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "s3proxy.ignore-unknown-headers=true",
                    filesystem == null ? "jclouds.provider=transient"
                            : "jclouds.provider=filesystem-nio2\njclouds.filesystem.basedir=" + filesystem.toAbsolutePath(),
                    "jclouds.identity=" + ACCESS_KEY,
                    "jclouds.credential=" + SECRET_KEY, ""));
            String java = ProcessHandle.current().info().command().orElse("java");
            List<String> command = List.of(java, filesystem == null ? "-Xmx256m" : "-Xmx512m", "-jar", jar.toAbsolutePath().toString(),
                    "--properties", properties.toString());
            Path log = dir.resolve("s3proxy.log");
            S3ProxyServer server = new S3ProxyServer(launch(command, log), port, command, log);
            server.awaitPort(Duration.ofSeconds(30), log);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start S3Proxy", e);
        }
    }

    private static Process launch(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Kills the server at once, as a crash would (objects of the filesystem backend stay on disk). */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again on the same port with the same objects (filesystem backend). */
    public void startAgain() {
        try {
            process = launch(command, log);
            awaitPort(Duration.ofSeconds(30), log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart S3Proxy", e);
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitPort(Duration timeout, Path log) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited at start: " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100); // polling a child process's socket; nothing to wait on instead
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while S3Proxy started", e);
                }
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not open port " + port + " within " + timeout + ": " + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
