package io.quiver.objectstore;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.jboss.logging.Logger;

import io.smallrye.faulttolerance.api.Guard;

/**
 * Retries failed object store operations (SmallRye Fault Tolerance): every operation is idempotent, so a transient
 * network or server error costs a short delay rather than a failed request. A missing object is an answer, not a
 * failure, and is never retried.
 */
public class RetryingObjectStore implements ObjectStore {

    private static final Logger LOG = Logger.getLogger(RetryingObjectStore.class);

    private final ObjectStore delegate;
    private final Guard guard;

    public RetryingObjectStore(ObjectStore delegate, int maxRetries) {
        this.delegate = delegate;
        this.guard = Guard.create()
                .withDescription("object store " + delegate.location())
                .withRetry().maxRetries(maxRetries).delay(100, ChronoUnit.MILLIS).jitter(50, ChronoUnit.MILLIS)
                .retryOn(ObjectStoreException.class)
                .beforeRetry(e -> LOG.warnf("retrying after: %s", e instanceof ObjectStoreException o ? o.detail() : e.getMessage()))
                .done()
                .build();
    }

    @Override
    public void put(String key, Path file) {
        run(() -> {
            delegate.put(key, file);
            return null;
        });
    }

    @Override
    public void put(String key, byte[] data) {
        run(() -> {
            delegate.put(key, data);
            return null;
        });
    }

    @Override
    public InputStream open(String key) {
        return run(() -> delegate.open(key));
    }

    @Override
    public void download(String key, Path target) {
        run(() -> {
            delegate.download(key, target);
            return null;
        });
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return run(() -> delegate.stat(key));
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return run(() -> delegate.list(prefix));
    }

    @Override
    public void delete(Collection<String> keys) {
        run(() -> {
            delegate.delete(keys);
            return null;
        });
    }

    @Override
    public void checkReady() {
        // Readiness answers now; retrying would only delay the probe.
        delegate.checkReady();
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public String uri(String key) {
        return delegate.uri(key);
    }

    @SuppressWarnings("unchecked")
    private <T> T run(Callable<T> call) {
        try {
            return (T) guard.call((Callable<Object>) call, Object.class);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ObjectStoreException("complete an operation", null, String.valueOf(e), e);
        }
    }
}
