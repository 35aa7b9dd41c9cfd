package io.quiver.online;

import java.util.List;

import io.quiver.metrics.StoreTimers;

/**
 * Times every call of the online store it wraps ({@code quiver.store{store="online"}}); inside the circuit breaker,
 * so calls refused by an open circuit are not store calls.
 */
public class TimedOnlineStore implements OnlineStore {

    private final OnlineStore delegate;
    private final StoreTimers timers;

    public TimedOnlineStore(OnlineStore delegate, StoreTimers timers) {
        this.delegate = delegate;
        this.timers = timers;
    }

    @Override
    public long write(String table, List<OnlineRecord> records) {
        return timers.time("write", () -> delegate.write(table, records));
    }

    @Override
    public List<OnlineRecord> read(List<OnlineKey> keys) {
        return timers.time("read", () -> delegate.read(keys));
    }

    @Override
    public long bytes(String table) {
        return timers.time("bytes", () -> delegate.bytes(table));
    }

    @Override
    public void drop(String table) {
        timers.run("drop", () -> delegate.drop(table));
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
    public void close() {
        delegate.close();
    }
}
