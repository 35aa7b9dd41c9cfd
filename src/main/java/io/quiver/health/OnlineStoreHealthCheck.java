package io.quiver.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quiver.config.QuiverConfig;
import io.quiver.online.OnlineStore;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Readiness of the online store (Redis PING, or always up in process). The store has a fallback (reads go to the
 * offline store), so while it is unreachable the check stays UP and says {@code degraded} (the gauge
 * {@code quiver.health.degraded{dependency="online-store"}} is 1), unless {@code readiness-requires-store} asks for
 * DOWN.
 */
@Readiness
@ApplicationScoped
public class OnlineStoreHealthCheck implements HealthCheck {

    private final OnlineStore store;
    private final boolean required;
    private final java.util.concurrent.atomic.AtomicInteger degraded = new java.util.concurrent.atomic.AtomicInteger();

    public OnlineStoreHealthCheck(OnlineStore store, QuiverConfig config, io.micrometer.core.instrument.MeterRegistry meters) {
        this.store = store;
        this.required = config.online().readinessRequiresStore();
        // a registry that outlived an application restart (tests restart the application in one JVM) keeps the
        // earlier instance's gauge, which would report a dead instance's state: replace it
        meters.find("quiver.health.degraded").tag("dependency", "online-store").meters().forEach(meters::remove);
        io.micrometer.core.instrument.Gauge.builder("quiver.health.degraded", degraded, java.util.concurrent.atomic.AtomicInteger::get)
                .description("1 while a dependency with a fallback is unreachable and this replica serves degraded")
                .tag("dependency", "online-store").strongReference(true).register(meters);
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.checkReady();
            degraded.set(0);
            return HealthCheckResponse.named("online-store").up().withData("location", store.location()).withData("degraded", false).build();
        } catch (RuntimeException e) {
            degraded.set(1);
            return HealthCheckResponse.named("online-store").status(!required).withData("location", store.location())
                    .withData("degraded", true)
                    .withData("error", e instanceof io.quiver.online.OnlineStoreException o && o.detail() != null ? o.detail() : e.getMessage())
                    .withData("serving", "online reads fall back to the offline store (degraded)").build();
        }
    }
}
