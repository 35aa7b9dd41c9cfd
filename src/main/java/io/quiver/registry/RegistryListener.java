package io.quiver.registry;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quiver.concurrent.BoundedExecutor;
import io.quiver.config.QuiverConfig;
import io.quiver.registry.persistence.RegistryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Registry changes reach every replica at once (PostgreSQL LISTEN/NOTIFY). A registration, deprecation or deletion
 * sends the changed group names on {@value #CHANNEL} inside its own transaction, so the notification goes out when,
 * and only if, the change commits; every replica (this one too, harmlessly) listens on a connection of its own and
 * drops those names from its {@link FeatureGroupCache}. A listener that loses its connection may have missed
 * notifications: when it is connected again it drops the whole cache. The cache's TTL stays as the last safety net.
 */
@ApplicationScoped
public class RegistryListener {

    static final String CHANNEL = "quiver_registry";
    /** PostgreSQL refuses payloads of 8,000 bytes or more; beyond this, "everything changed". */
    static final int MAX_PAYLOAD = 7_000;
    static final String EVERYTHING = "*";

    private static final Logger LOG = Logger.getLogger(RegistryListener.class);

    private final FeatureGroupCache cache;
    private final RegistryRepository repository;
    private final QuiverConfig.Registry config;
    private final boolean postgres;
    private final String url;
    private final String user;
    private final String password;
    /** The datasource's {@code additional-jdbc-properties} (SSL and the like): the listener connects as the pool does. */
    private final Properties additional;
    private final Counter notified;
    private final Counter reconnects;
    private final jakarta.enterprise.event.Event<RegistryChangedElsewhere> elsewhere;
    private final AtomicReference<Connection> connection = new AtomicReference<>();
    private volatile boolean running;
    private BoundedExecutor thread;

    public RegistryListener(FeatureGroupCache cache, RegistryRepository repository, QuiverConfig config, MeterRegistry meters,
            jakarta.enterprise.event.Event<RegistryChangedElsewhere> elsewhere,
            @ConfigProperty(name = "quarkus.datasource.db-kind") String dbKind,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") java.util.Optional<String> user,
            @ConfigProperty(name = "quarkus.datasource.password") java.util.Optional<String> password) {
        this.cache = cache;
        this.elsewhere = elsewhere;
        this.repository = repository;
        this.config = config.registry();
        this.postgres = dbKind.toLowerCase(java.util.Locale.ROOT).startsWith("postgres");
        this.url = url;
        this.user = user.orElse("");
        this.password = password.orElse("");
        this.additional = additionalProperties(org.eclipse.microprofile.config.ConfigProvider.getConfig());
        this.notified = Counter.builder("quiver.registry.invalidations").description("Registry cache invalidations, by cause")
                .tag("cause", "notification").register(meters);
        this.reconnects = Counter.builder("quiver.registry.invalidations").description("Registry cache invalidations, by cause")
                .tag("cause", "reconnect").register(meters);
    }

    /** In the changing transaction: the names go out on commit, to every replica. */
    void publish(@Observes RegistryChanged event) {
        if (postgres && !event.groupNames().isEmpty()) {
            repository.notify(CHANNEL, payload(event.groupNames()));
        }
    }

    static String payload(Set<String> names) {
        String joined = String.join(",", names); // group names never hold a comma (Names)
        return joined.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD ? EVERYTHING : joined;
    }

    void start(@Observes StartupEvent event) {
        if (!postgres || !config.listen()) {
            return;
        }
        running = true;
        thread = new BoundedExecutor("quiver-registry-listener", 1, 1);
        thread.execute(this::listen);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        close(connection.getAndSet(null));
        if (thread != null) {
            thread.close(Duration.ofSeconds(2));
        }
    }

    /** Whether the listener holds a live connection now (for tests and logs). */
    public boolean connected() {
        return connection.get() != null;
    }

    private void listen() {
        boolean warned = false;
        while (running) {
            try (Connection c = connect()) {
                connection.set(c);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                // whatever changed while this replica was not listening (or before it first listened) is unknown
                cache.invalidateAll();
                reconnects.increment();
                announce(Set.of());
                if (warned) {
                    LOG.info("registry change listener connected again; dropped the whole registry cache");
                    warned = false;
                }
                receive(c);
            } catch (SQLException | RuntimeException e) {
                if (running && !warned) {
                    LOG.warnf("registry change listener lost its connection (%s); other replicas' changes are seen within "
                            + "quiver.registry.cache-ttl (%s) until it is back", e.getMessage(), config.cacheTtl());
                    warned = true;
                }
            } finally {
                connection.set(null);
            }
            pause(config.listenReconnect());
        }
    }

    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long beat = System.nanoTime();
        int wait = (int) Math.max(1, Math.min(500, config.listenHeartbeat().toMillis()));
        while (running) {
            PGNotification[] notes = pg.getNotifications(wait);
            if (notes != null && notes.length > 0) {
                apply(notes);
                beat = System.nanoTime();
            } else if (System.nanoTime() - beat > config.listenHeartbeat().toNanos()) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1"); // a dead connection fails here instead of waiting silently
                }
                beat = System.nanoTime();
            }
        }
    }

    private void apply(PGNotification[] notes) {
        Set<String> names = new LinkedHashSet<>();
        for (PGNotification n : notes) {
            if (EVERYTHING.equals(n.getParameter())) {
                cache.invalidateAll();
                notified.increment();
                announce(Set.of());
                return;
            }
            names.addAll(Arrays.asList(n.getParameter().split(",")));
        }
        names.remove("");
        cache.invalidate(new RegistryChanged(names));
        notified.increment(notes.length);
        announce(names);
    }

    /** Tells this replica's other observers (schedules) that the registry changed elsewhere; theirs to fail. */
    private void announce(Set<String> names) {
        try {
            elsewhere.fire(new RegistryChangedElsewhere(names));
        } catch (RuntimeException e) {
            LOG.warnf("an observer of another replica's registry change failed: %s", e.getMessage());
        }
    }

    static final String ADDITIONAL = "quarkus.datasource.jdbc.additional-jdbc-properties.";

    /** The pool's extra JDBC properties ({@code quarkus.datasource.jdbc.additional-jdbc-properties.<name>}). */
    static Properties additionalProperties(org.eclipse.microprofile.config.Config config) {
        Properties p = new Properties();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(ADDITIONAL)) {
                config.getOptionalValue(name, String.class).ifPresent(v -> p.setProperty(name.substring(ADDITIONAL.length()), v));
            }
        }
        return p;
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.putAll(additional);
        if (!user.isEmpty()) {
            p.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "quiver-registry-listener");
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", Long.toString(Math.max(10, config.listenHeartbeat().toSeconds() * 3)));
        p.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(url, p);
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing a connection that is already gone
            }
        }
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
