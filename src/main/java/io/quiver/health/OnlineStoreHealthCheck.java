package io.quiver.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quiver.config.QuiverConfig;
import io.quiver.online.OnlineStore;
import jakarta.enterprise.context.ApplicationScoped;

/** Readiness of the online store (Redis PING, or always up in process). */
@Readiness
@ApplicationScoped
public class OnlineStoreHealthCheck implements HealthCheck {

    private final OnlineStore store;
    private final boolean required;

    public OnlineStoreHealthCheck(OnlineStore store, QuiverConfig config) {
        this.store = store;
        this.required = config.online().readinessRequiresStore();
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.checkReady();
            return HealthCheckResponse.named("online-store").up().withData("location", store.location()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("online-store").status(!required).withData("location", store.location())
                    .withData("error", e instanceof io.quiver.online.OnlineStoreException o && o.detail() != null ? o.detail() : e.getMessage())
                    .withData("serving", "online reads fall back to the offline store (degraded)").build();
        }
    }
}
