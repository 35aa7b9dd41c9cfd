package io.quiver.online;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

import org.jboss.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.smallrye.faulttolerance.api.Guard;

/**
 * A circuit breaker around the online store (SmallRye Fault Tolerance): when half of the recent calls failed, the
 * store is left alone for a while and every call fails at once with {@code ONLINE_STORE_UNAVAILABLE}, so readers fall
 * back to the offline store without waiting for a timeout each, and Redis gets room to recover.
 */
public class GuardedOnlineStore implements OnlineStore {

    private static final Logger LOG = Logger.getLogger(GuardedOnlineStore.class);

    private final OnlineStore delegate;
    private final Guard guard;

    public GuardedOnlineStore(OnlineStore delegate, Duration circuitDelay) {
        this.delegate = delegate;
        this.guard = Guard.create()
                .withDescription("online store " + delegate.location())
                .withCircuitBreaker().requestVolumeThreshold(4).failureRatio(0.5).successThreshold(1)
                .delay(circuitDelay.toMillis(), ChronoUnit.MILLIS)
                .failOn(OnlineStoreException.class)
                .skipOn(ReplicationShortfallException.class) // Redis answered: a slow replica must not degrade reads
                .onStateChange(state -> LOG.warnf("online store %s: circuit %s", delegate.location(), state))
                .done()
                .build();
    }

    @Override
    public long write(String table, List<OnlineRecord> records) {
        return run(() -> delegate.write(table, records));
    }

    @Override
    public List<OnlineRecord> read(List<OnlineKey> keys) {
        return run(() -> delegate.read(keys));
    }

    @Override
    public long bytes(String table) {
        return run(() -> delegate.bytes(table));
    }

    @Override
    public void drop(String table) {
        run(() -> {
            delegate.drop(table);
            return null;
        });
    }

    @Override
    public void checkReady() {
        // readiness asks the store itself: it must see a recovered Redis even while the circuit is open
        delegate.checkReady();
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @SuppressWarnings("unchecked")
    private <T> T run(Callable<T> call) {
        try {
            return (T) guard.call((Callable<Object>) call, Object.class);
        } catch (CircuitBreakerOpenException e) {
            throw new OnlineStoreException("the online store failed repeatedly and is given a rest; retrying shortly",
                    delegate.location() + ": circuit open", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new OnlineStoreException("the online store failed; retry later", delegate.location() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
