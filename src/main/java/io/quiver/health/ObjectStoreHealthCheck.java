package io.quiver.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quiver.objectstore.ObjectStore;
import io.quiver.objectstore.ObjectStoreException;
import jakarta.enterprise.context.ApplicationScoped;

/** Ready only when the object store answers (the bucket exists or could be created; the directory is writable). */
@Readiness
@ApplicationScoped
public class ObjectStoreHealthCheck implements HealthCheck {

    private final ObjectStore store;

    public ObjectStoreHealthCheck(ObjectStore store) {
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            store.checkReady();
            return HealthCheckResponse.named("object-store").up().withData("location", store.location()).build();
        } catch (ObjectStoreException e) {
            return HealthCheckResponse.named("object-store").down().withData("location", store.location())
                    .withData("error", e.detail() != null ? e.detail() : e.getMessage()).build();
        }
    }
}
