package io.quiver.virtual;

import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import io.quiver.metrics.StoreTimers;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

/** Times every call of the query executor ({@code quiver.executor{executor="duckdb"}}), whichever bean it is. */
@Decorator
@Priority(10)
public class TimedQueryExecutor implements QueryExecutor {

    private final QueryExecutor delegate;
    private final StoreTimers timers;

    @Inject
    public TimedQueryExecutor(@Delegate QueryExecutor delegate, MeterRegistry meters) {
        this.delegate = delegate;
        this.timers = new StoreTimers(meters, "quiver.executor", "executor", "duckdb");
    }

    @Override
    public Description describe(Query query) {
        return timers.time("describe", () -> delegate.describe(query));
    }

    @Override
    public long slice(Query query, Shape shape, Path target) {
        return timers.time("slice", () -> delegate.slice(query, shape, target));
    }

    @Override
    public long select(Query query, Selection selection, Path target) {
        return timers.time("select", () -> delegate.select(query, selection, target));
    }

    @Override
    public String explain(Query query, Shape shape, boolean analyze) {
        return timers.time("explain", () -> delegate.explain(query, shape, analyze));
    }
}
