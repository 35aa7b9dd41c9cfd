package io.quiver.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InMemoryAccessStoreTest extends AccessStoreContract {

    @Override
    protected AccessStore store() {
        return new InMemoryAccessStore();
    }

    @Test
    void bucketsOlderThanTheyAreKeptAreDropped() {
        AccessStore s = store();
        long minute = 29_500_000L;
        s.add(List.of(new AccessStore.Delta("g", minute, Map.of("w", 1L), 1L)));
        s.add(List.of(new AccessStore.Delta("g", minute + AccessStore.MINUTE_BUCKETS_KEPT, Map.of("w", 1L), 2L)));
        assertThat(s.sum(List.of("g"), true, minute, minute)).isEmpty();
        assertThat(s.sum(List.of("g"), false, minute / 60, minute / 60 + 2).get("g")).containsEntry("w", 2L);
    }
}
