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
    OnlineStore onlineStore(QuiverConfig config, Instance<Redis> redis, MeterRegistry meters) {
        QuiverConfig.Online c = config.online();
        OnlineStore store = switch (c.type()) {
            case MEMORY -> new InMemoryOnlineStore();
            case REDIS -> {
                var cfg = ConfigProvider.getConfig();
                boolean cluster = cfg.getOptionalValue("quarkus.redis.client-type", String.class).orElse("standalone")
                        .equalsIgnoreCase("cluster");
                String hosts = cfg.getOptionalValue("quarkus.redis.hosts", String.class).orElse("redis://localhost:6379");
                yield new RedisOnlineStore(redis.get(), c.keyPrefix(), c.readTimeout(), c.writeTimeout(), cluster,
                        c.keysPerScript(), "Redis " + hosts.replaceAll("//[^@/]*@", "//") + (cluster ? " (cluster)" : ""));
            }
        };
        return new GuardedOnlineStore(new TimedOnlineStore(store, new StoreTimers(meters, "quiver.store", "store", "online")),
                c.circuitDelay());
    }

    void report(@Observes StartupEvent event, OnlineStore store) {
        try {
            store.checkReady();
            LOG.infof("online store: %s", store.location());
        } catch (RuntimeException e) {
            LOG.warnf("online store not ready yet (%s); /q/health/ready reports DOWN until it is, reads use the offline store",
                    e.getMessage());
        }
    }
}
