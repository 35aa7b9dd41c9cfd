package io.quiver.objectstore;

import java.nio.file.Path;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quiver.config.QuiverConfig;
import io.quiver.metrics.StoreTimers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;

/** Builds the configured object store ({@code quiver.object-store.type}) and prepares it at start-up. */
@ApplicationScoped
public class ObjectStoreProducer {

    private static final Logger LOG = Logger.getLogger(ObjectStoreProducer.class);
    static final int MAX_RETRIES = 3;

    @Produces
    @ApplicationScoped
    ObjectStore objectStore(QuiverConfig config, MeterRegistry meters) {
        QuiverConfig.ObjectStore c = config.objectStore();
        ObjectStore store = switch (c.type()) {
            case LOCAL -> new LocalObjectStore(Path.of(c.localRoot()));
            case S3 -> new S3ObjectStore(c.s3Endpoint(), c.s3Region(), c.s3AccessKey().orElse(null),
                    c.s3SecretKey().orElse(null), c.s3Bucket(), c.s3PartSize(), c.s3Timeout());
        };
        return new RetryingObjectStore(new TimedObjectStore(store, new StoreTimers(meters, "quiver.store", "store", "object")), MAX_RETRIES);
    }

    /** Creates the bucket or directory early. A store that is down is not fatal: readiness reports it. */
    void prepare(@Observes StartupEvent event, ObjectStore store) {
        try {
            store.checkReady();
            LOG.infof("object store: %s", store.location());
        } catch (ObjectStoreException e) {
            LOG.warnf("object store not ready yet (%s); /q/health/ready reports DOWN until it is", e.getMessage());
        }
    }
}
