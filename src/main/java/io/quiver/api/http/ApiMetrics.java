package io.quiver.api.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.Meter;
import io.quiver.error.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Prometheus series of the API: a timer per GraphQL operation ({@code quiver.api}), errors by code
 * ({@code quiver.errors}), and percentile histograms for every Quiver timer and the HTTP server's, so p50/p95/p99
 * can be computed over any set of replicas. Tags are bounded: operation names come from the schema, codes from
 * {@link ErrorCode}; entities never appear.
 */
@ApplicationScoped
public class ApiMetrics {

    private final MeterRegistry registry;
    private final Map<String, Timer> operations = new ConcurrentHashMap<>();

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public Timer operation(String api, String name) {
        return operations.computeIfAbsent(api + ":" + name, k -> Timer.builder("quiver.api").description("API operations, by operation")
                .tag("api", api).tag("operation", name).register(registry));
    }

    public void error(String api, ErrorCode code) {
        Counter.builder("quiver.errors").description("Errors answered, by API and code").tag("api", api).tag("code", code.name())
                .register(registry).increment();
    }

    /** Percentile histograms (Prometheus buckets) for Quiver's timers and HTTP requests. */
    @Produces
    @Singleton
    MeterFilter histograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() == Meter.Type.TIMER && (id.getName().startsWith("quiver.") || id.getName().startsWith("http.server"))) {
                    // 0.1 ms to 60 s: about 40 buckets per series, not the 70-odd of the default range
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).minimumExpectedValue(100_000.0)
                            .maximumExpectedValue(60_000_000_000.0).build().merge(config);
                }
                return config;
            }
        };
    }
}
