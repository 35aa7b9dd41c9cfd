package io.quiver.access;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quiver.config.QuiverConfig;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** Keeps access metrics where the online store is: in Redis (shared by replicas), or in memory for the embedded default. */
public class AccessStoreProducer {

    @Produces
    @ApplicationScoped
    AccessStore accessStore(QuiverConfig config, Instance<Redis> redis) {
        return switch (config.online().type()) {
            case MEMORY -> new InMemoryAccessStore();
            case REDIS -> {
                var cfg = ConfigProvider.getConfig();
                boolean cluster = cfg.getOptionalValue("quarkus.redis.client-type", String.class).orElse("standalone")
                        .equalsIgnoreCase("cluster");
                String hosts = cfg.getOptionalValue("quarkus.redis.hosts", String.class).orElse("redis://localhost:6379");
                yield new RedisAccessStore(redis.get(), config.online().keyPrefix(), config.access().timeout(), cluster,
                        "Redis " + hosts.replaceAll("//[^@/]*@", "//") + (cluster ? " (cluster)" : ""));
            }
        };
    }
}
