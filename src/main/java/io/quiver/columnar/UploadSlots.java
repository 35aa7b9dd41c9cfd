package io.quiver.columnar;

import java.util.concurrent.Semaphore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Caps the bulk uploads (Arrow or Parquet bodies: bulk writes, training-set requests) served at once, at
 * {@code quiver.ingest.max-concurrent-uploads}: each takes native memory in DuckDB and scratch disk, so beyond the cap
 * a request is refused at once with SERVICE_BUSY (503 and Retry-After) rather than queued into an out-of-memory crash.
 * A slot is held from before the body is read until the answer is written, which for a training set is after the
 * service method returned; hence a semaphore with a slot object rather than a bulkhead around one call.
 */
@ApplicationScoped
public class UploadSlots {

    private final Semaphore slots;
    private final int max;

    public UploadSlots(QuiverConfig config, MeterRegistry meters) {
        this.max = Math.max(1, config.ingest().maxConcurrentUploads());
        this.slots = new Semaphore(max);
        // tests restart the application in one JVM: the registry may still hold the earlier instance's gauge
        meters.find("quiver.ingest.uploads.active").meters().forEach(meters::remove);
        Gauge.builder("quiver.ingest.uploads.active", this, UploadSlots::inUse)
                .description("bulk uploads being received or answered; at quiver.ingest.max-concurrent-uploads more are refused")
                .strongReference(true).register(meters);
    }

    /** How many slots are held now. */
    public int inUse() {
        return max - slots.availablePermits();
    }

    /** A held slot; closing it (more than once is harmless) gives it back. */
    public final class Slot implements AutoCloseable {
        private boolean open = true;

        @Override
        public synchronized void close() {
            if (open) {
                open = false;
                slots.release();
            }
        }
    }

    /** @throws QuiverException SERVICE_BUSY when every slot is taken */
    public Slot acquire() {
        if (!slots.tryAcquire()) {
            throw new QuiverException(ErrorCode.SERVICE_BUSY, "the service is already receiving " + max + " bulk uploads "
                    + "(quiver.ingest.max-concurrent-uploads); retry in a few seconds");
        }
        return new Slot();
    }
}
