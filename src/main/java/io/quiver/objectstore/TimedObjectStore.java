package io.quiver.objectstore;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.quiver.metrics.StoreTimers;

/**
 * Times every call of the object store it wraps ({@code quiver.store{store="object"}}): one attempt each, so the
 * retries around it show as failures. {@link #open} is timed to the first byte, not to the end of the stream.
 */
public class TimedObjectStore implements ObjectStore {

    private final ObjectStore delegate;
    private final StoreTimers timers;

    public TimedObjectStore(ObjectStore delegate, StoreTimers timers) {
        this.delegate = delegate;
        this.timers = timers;
    }

    @Override
    public void put(String key, Path file) {
        timers.run("put", () -> delegate.put(key, file));
    }

    @Override
    public void put(String key, byte[] data) {
        timers.run("put", () -> delegate.put(key, data));
    }

    @Override
    public InputStream open(String key) {
        return timers.time("open", () -> delegate.open(key));
    }

    @Override
    public void download(String key, Path target) {
        timers.run("download", () -> delegate.download(key, target));
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return timers.time("stat", () -> delegate.stat(key));
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        return timers.time("list", () -> delegate.list(prefix));
    }

    @Override
    public void delete(Collection<String> keys) {
        timers.run("delete", () -> delegate.delete(keys));
    }

    @Override
    public void checkReady() {
        timers.run("check", delegate::checkReady);
    }

    @Override
    public String location() {
        return delegate.location();
    }

    @Override
    public String uri(String key) {
        return delegate.uri(key);
    }
}
