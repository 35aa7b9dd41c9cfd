package io.quiver.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Timers of one store or executor: one Prometheus series per operation and outcome ({@code success} or
 * {@code failure}), e.g. {@code quiver_store_seconds{store="online",operation="read",outcome="success"}}. Tags come
 * from code, never from data, so the series stay few.
 */
public final class StoreTimers {

    private final MeterRegistry registry;
    private final String name;
    private final String kindTag;
    private final String kind;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /**
     * @param name the timer's name ({@code quiver.store}, {@code quiver.executor})
     * @param kindTag the tag naming the store ({@code store}, {@code executor})
     * @param kind its value ({@code object}, {@code online}, {@code duckdb})
     */
    public StoreTimers(MeterRegistry registry, String name, String kindTag, String kind) {
        this.registry = registry;
        this.name = name;
        this.kindTag = kindTag;
        this.kind = kind;
    }

    /** Runs the call and records how long it took under its operation and outcome. */
    public <T> T time(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        boolean ok = false;
        try {
            T result = call.get();
            ok = true;
            return result;
        } finally {
            timer(operation, ok).record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** {@link #time} for a call without a result. */
    public void run(String operation, Runnable call) {
        time(operation, () -> {
            call.run();
            return null;
        });
    }

    private Timer timer(String operation, boolean ok) {
        String outcome = ok ? "success" : "failure";
        return timers.computeIfAbsent(operation + ":" + outcome, k -> Timer.builder(name)
                .description("Calls of a store or executor, by operation and outcome").tag(kindTag, kind).tag("operation", operation)
                .tag("outcome", outcome).register(registry));
    }
}
