package io.quiver.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quiver.registry.RegistryCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import io.quiver.registry.persistence.RegistryRepository;

/**
 * Ready only when the registry's schema answers a query: a reachable database without Quiver's migrations is not
 * ready to serve. (Quarkus' own datasource check, also in the readiness group, tests the connection itself.)
 */
@Readiness
@ApplicationScoped
public class RegistryHealthCheck implements HealthCheck {

    private final RegistryCatalog catalog;

    public RegistryHealthCheck(RegistryCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    @ActivateRequestContext
    public HealthCheckResponse call() {
        try {
            long groups = catalog.groupCount();
            return HealthCheckResponse.named("registry").up().withData("featureGroups", groups).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("registry").down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
