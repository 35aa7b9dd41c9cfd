package io.quiver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.GroupStatus;
import io.quiver.registry.model.JoinKey;
import io.quiver.config.StorageFormat;

/**
 * The race a plain invalidation loses: a load reads the old definition, the change commits and invalidates, then the
 * load finishes. The stale value must not be served, then or later.
 */
class FeatureGroupCacheRaceTest {

    @Test
    void aLoadInFlightDuringAnInvalidationIsNeverServed() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger version = new AtomicInteger(1);
        AtomicInteger loads = new AtomicInteger();
        FeatureGroupCache cache = new FeatureGroupCache((name, v) -> {
            int seen = version.get(); // what the database holds when the load reads it
            if (loads.incrementAndGet() == 1) {
                loading.countDown();
                await(release);
            }
            return Optional.of(schema(seen));
        }, Duration.ofHours(1), 100);

        CompletableFuture<Optional<GroupSchema>> first = CompletableFuture.supplyAsync(() -> cache.get("g", 0));
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
        version.set(2);                                  // the change commits...
        cache.invalidate(new RegistryChanged(Set.of("g"))); // ...and invalidates while the first load is in flight
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).orElseThrow().group().version()).isEqualTo(2);
        assertThat(cache.get("g", 0).orElseThrow().group().version()).isEqualTo(2);
        assertThat(loads.get()).isEqualTo(2);
    }

    @Test
    void droppingEverythingDropsEveryNameAndCatchesALoadInFlight() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger version = new AtomicInteger(1);
        Map<String, AtomicInteger> loads = new java.util.concurrent.ConcurrentHashMap<>();
        FeatureGroupCache cache = new FeatureGroupCache((name, v) -> {
            int seen = version.get();
            if (loads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet() == 1 && name.equals("g")) {
                loading.countDown();
                await(release);
            }
            return Optional.of(schema(seen));
        }, Duration.ofHours(1), 100);
        assertThat(cache.get("other", 0).orElseThrow().group().version()).isEqualTo(1);

        CompletableFuture<Optional<GroupSchema>> first = CompletableFuture.supplyAsync(() -> cache.get("g", 0));
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
        version.set(2);
        cache.invalidateAll(); // a listener that reconnected: it cannot know which names changed
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).orElseThrow().group().version()).isEqualTo(2);
        assertThat(cache.get("other", 0).orElseThrow().group().version()).isEqualTo(2);
        assertThat(loads.get("g").get()).isEqualTo(2);
        assertThat(loads.get("other").get()).isEqualTo(2);
    }

    @Test
    void aChangeOfTooManyNamesForOneNotificationSaysEverythingChanged() {
        assertThat(RegistryListener.payload(new java.util.LinkedHashSet<>(List.of("a", "b_2")))).isEqualTo("a,b_2");
        Set<String> many = new java.util.HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            many.add("group_number_" + i);
        }
        assertThat(RegistryListener.payload(many)).isEqualTo(RegistryListener.EVERYTHING);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static GroupSchema schema(int version) {
        FeatureGroup g = new FeatureGroup(version, "g", version, true, List.of("customer"), List.of(new JoinKey("customer_id", DataType.BIGINT)),
                "ts", DataType.TIMESTAMP, null, null, 0, null, StorageFormat.PARQUET, "p", "p/v" + version + "_0/data/", true, true, null,
                null, null, List.of(), List.of(), GroupStatus.ACTIVE, Map.of(), Instant.EPOCH, Instant.EPOCH, null, null);
        return GroupSchema.of(g, List.of());
    }
}
