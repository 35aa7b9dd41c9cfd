package io.quiver.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, prod profile) as a separate process, the way it
 * runs in production: started with the given settings, killed with SIGKILL at any moment, started again. Its output
 * goes to {@code target/crash-it/service-N.log}.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final String name;
    private final Map<String, String> settings;
    private final int port;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    public ServiceProcess(Map<String, String> settings) {
        this("service", settings);
    }

    /** @param name names its log files: {@code target/crash-it/<name>-<start>.log} */
    public ServiceProcess(String name, Map<String, String> settings) {
        this.name = name;
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run the integration tests through Maven (mvnw verify packages it first)");
        }
        this.settings = settings;
        try {
            this.port = Ports.free();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The settings that point a service process at the real services of the tests: the database, the S3 server (a
     * bucket of its own), the shared Redis under a key prefix, and its cache and spill directories under {@code dir}.
     */
    public static Map<String, String> realServices(String db, S3ProxyServer s3, String bucket, String keyPrefix, Path dir) {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("quarkus.datasource.jdbc.url", db);
        s.put("quarkus.datasource.username", PostgresTestDatabase.user());
        s.put("quarkus.datasource.password", PostgresTestDatabase.password());
        s.put("quiver.object-store.type", "S3");
        // the jar runs the prod profile, which requires keys unless told it is open; the ITs test replicas, not security
        s.put("quiver.security.open", "true");
        s.put("quiver.object-store.s3-endpoint", s3.endpoint());
        s.put("quiver.object-store.s3-access-key", S3ProxyServer.ACCESS_KEY);
        s.put("quiver.object-store.s3-secret-key", S3ProxyServer.SECRET_KEY);
        s.put("quiver.object-store.s3-bucket", bucket);
        s.put("quarkus.redis.hosts", System.getenv().getOrDefault("QUIVER_TEST_REDIS_URL", "redis://127.0.0.1:6379"));
        s.put("quiver.online.key-prefix", keyPrefix);
        s.put("quiver.offline.cache-dir", dir.resolve("cache").toAbsolutePath().toString());
        s.put("quiver.duckdb.temp-directory", dir.resolve("duckdb-tmp").toAbsolutePath().toString());
        return s;
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Starts the service and waits until it is ready. */
    public void start() {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                // C1 only and the serial collector: starts in about half the time on two cores, which the restarts add up
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        try {
            Path logs = Path.of("target", "crash-it");
            Files.createDirectories(logs);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(logs.resolve(name + "-" + (++starts) + ".log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the service", e);
        }
        awaitReady(Duration.ofSeconds(60));
    }

    /** The lines the current (or last) start has logged so far. */
    public List<String> logLines() {
        try {
            return Files.readAllLines(Path.of("target", "crash-it", name + "-" + starts + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or cleaned up. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the service did not die");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited at start (see target/crash-it/" + name + "-" + starts + ".log)");
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(base().resolve("q/health/ready")).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(200); // polling a child process's readiness; nothing to wait on instead
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("the service was not ready within " + timeout + " (see target/crash-it/" + name + "-" + starts + ".log)");
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
