package io.quiver.demo;

import java.io.IOException;
import java.io.InputStream;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quiver.config.QuiverConfig;
import io.quiver.registry.RegistrationService;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.spec.RegistrationSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;

/**
 * Loads the seeds' customers/transactions medallion example into an empty registry at start-up, so a first run
 * shows a catalog at once: a small lake ({@link DemoLake}) with its data sources, groups of every mode, and values
 * with statistics in its stored groups ({@link DemoValues}). It goes through the same registration path as any client.
 */
// the catalog document is read into the registration input by reflection
@RegisterForReflection(targets = RegistrationSpec.class, registerFullHierarchy = true)
@ApplicationScoped
public class DemoCatalog {

    private static final Logger LOG = Logger.getLogger(DemoCatalog.class);
    static final String RESOURCE = "demo/catalog.json";

    private final QuiverConfig config;
    private final RegistrationService registration;
    private final RegistryCatalog catalog;
    private final ObjectMapper json;

    private final DemoLake lake;
    private final DemoValues values;

    public DemoCatalog(QuiverConfig config, RegistrationService registration, RegistryCatalog catalog, ObjectMapper json, DemoLake lake,
            DemoValues values) {
        this.lake = lake;
        this.values = values;
        this.config = config;
        this.registration = registration;
        this.catalog = catalog;
        this.json = json;
    }

    @ActivateRequestContext
    void onStart(@Observes StartupEvent event) throws IOException {
        if (!config.demo().enabled() || catalog.groupCount() > 0) {
            return;
        }
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the application");
            }
            lake.load(); // the virtual groups' templates are checked against its data sources
            var result = registration.register(json.readValue(in, RegistrationSpec.class));
            LOG.infof("demo catalog loaded: %d entities, %d feature groups", result.entities().size(), result.groups().size());
            values.write(java.time.Instant.now());
        }
    }
}
