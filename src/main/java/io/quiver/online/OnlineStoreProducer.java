package io.quiver.online;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quiver.config.QuiverConfig;
import io.quiver.metrics.StoreTimers;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** Picks the online store from {@code quiver.online.type}; the Redis client is only touched when it is REDIS. */
public class OnlineStoreProducer {

    private static final Logger LOG = Logger.getLogger(OnlineStoreProducer.class);

    @Produces
    @ApplicationScoped
    OnlineStore onlineStore(QuiverConfig config, Instance<Redis> redis, Instance<io.vertx.core.Vertx> vertx, MeterRegistry meters) {
        QuiverConfig.Online c = config.online();
        OnlineStore store = switch (c.type()) {
            case MEMORY -> new InMemoryOnlineStore();
            case REDIS -> {
                var cfg = ConfigProvider.getConfig();
                boolean cluster = cfg.getOptionalValue("quarkus.redis.client-type", String.class).orElse("standalone")
                        .equalsIgnoreCase("cluster");
                String hosts = cfg.getOptionalValue("quarkus.redis.hosts", String.class).orElse("redis://localhost:6379");
                String first = hosts.split(",")[0].trim();
                // a cluster gets a Vert.x client of the store's own: the one Quarkus makes is wrapped, and the wrapper
                // hides the cluster helper (RedisCluster.groupByNodes) that per-node pipelines need
                java.util.Optional<String> password = cfg.getOptionalValue("quarkus.redis.password", String.class);
                Redis client = cluster ? clusterClient(vertx.get(), hosts, password)
                        : redis.get();
                yield new RedisOnlineStore(client, cluster ? vertx.get() : null, c.keyPrefix(), c.readTimeout(), c.writeTimeout(),
                        cluster, c.keysPerScript(), c.waitReplicas(), first, password.orElse(null),
                        "Redis " + hosts.replaceAll("//[^@/]*@", "//") + (cluster ? " (cluster)" : ""));
            }
        };
        return new GuardedOnlineStore(new TimedOnlineStore(store, new StoreTimers(meters, "quiver.store", "store", "online")),
                c.circuitDelay());
    }

    static Redis clusterClient(io.vertx.core.Vertx vertx, String hosts, java.util.Optional<String> password) {
        io.vertx.redis.client.RedisOptions options = new io.vertx.redis.client.RedisOptions()
                .setType(io.vertx.redis.client.RedisClientType.CLUSTER).setMaxPoolSize(16).setMaxPoolWaiting(256);
        for (String host : hosts.split(",")) {
            options.addConnectionString(host.trim());
        }
        password.ifPresent(options::setPassword);
        return Redis.newInstance(io.vertx.redis.client.Redis.createClient(vertx, options));
    }

    void close(@jakarta.enterprise.inject.Disposes OnlineStore store) {
        store.close();
    }

    void report(@Observes StartupEvent event, OnlineStore store) {
        try {
            store.checkReady();
            LOG.infof("online store: %s", store.location());
        } catch (RuntimeException e) {
            LOG.warnf("online store not ready yet (%s); reads use the offline store meanwhile and /q/health/ready reports it as degraded",
                    e.getMessage());
        }
    }
}
