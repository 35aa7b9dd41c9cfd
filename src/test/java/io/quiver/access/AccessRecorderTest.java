package io.quiver.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quiver.config.Mode;

/** Recording and flushing, against the in-memory store and a store that is down. */
class AccessRecorderTest {

    @Test
    void accessesAreSummedPerGroupPathAndStrategy() {
        InMemoryAccessStore store = new InMemoryAccessStore();
        AccessRecorder recorder = new AccessRecorder(store, new SimpleMeterRegistry());
        recorder.access("g", AccessPath.ONLINE, Mode.MATERIALIZED, 2_000_000, 3, 0);
        recorder.access("g", AccessPath.ONLINE, Mode.MATERIALIZED, 4_000_000, 1, 0);
        recorder.access("g", AccessPath.HISTORICAL, Mode.VIRTUALIZED, 100_000_000, 10, 5_000);
        recorder.failure("g", AccessPath.ONLINE);
        recorder.cache("g", true);
        recorder.cache("g", false);
        recorder.cache("g", false);
        recorder.access("other", AccessPath.WRITE, Mode.MATERIALIZED, 1_000_000, 7, 0);
        recorder.flush();
        recorder.flush(); // nothing new: adds nothing

        long now = System.currentTimeMillis();
        AccessWindow w = AccessWindow.LAST_HOUR;
        AccessSummary s = AccessSummary.of(store.sum(List.of("g"), true, w.from(now), w.to(now)).get("g"));
        assertThat(s.reads()).isEqualTo(3);
        assertThat(s.accesses(AccessPath.ONLINE, Mode.MATERIALIZED)).isEqualTo(2);
        assertThat(s.reads(Mode.VIRTUALIZED)).isEqualTo(1);
        assertThat(s.meanMillis(AccessPath.ONLINE, Mode.MATERIALIZED)).isEqualTo(3.0);
        assertThat(s.meanReadMillis(Mode.VIRTUALIZED)).isEqualTo(100.0);
        assertThat(s.quantile(AccessPath.ONLINE, 0.5)).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.04));
        assertThat(s.quantile(AccessPath.ONLINE, 1.0)).isCloseTo(4.0, org.assertj.core.data.Offset.offset(0.08));
        assertThat(s.rows(AccessPath.ONLINE)).isEqualTo(4);
        assertThat(s.bytes(AccessPath.HISTORICAL)).isEqualTo(5_000);
        assertThat(s.errors(AccessPath.ONLINE)).isEqualTo(1);
        assertThat(s.cacheHitRate()).isEqualTo(1.0 / 3);
        assertThat(s.lastAccess().toEpochMilli()).isBetween(now - 60_000, now);
        assertThat(AccessSummary.of(store.sum(List.of("other"), false, now / 3_600_000, now / 3_600_000).get("other"))
                .accesses(AccessPath.WRITE)).isEqualTo(1);
    }

    @Test
    void aStoreThatIsDownDropsTheCountsAndCountsTheDropWithoutFailingTheRecording() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AccessStore down = new AccessStore() {
            @Override
            public void add(List<Delta> deltas) {
                throw new IllegalStateException("connection refused");
            }

            @Override
            public Map<String, Map<String, Long>> sum(Collection<String> groups, boolean minutes, long from, long to) {
                throw new IllegalStateException("connection refused");
            }

            @Override
            public String location() {
                return "down";
            }
        };
        AccessRecorder recorder = new AccessRecorder(down, meters);
        recorder.access("g", AccessPath.ONLINE, Mode.MATERIALIZED, 1_000, 1, 0);
        recorder.flush();
        assertThat(meters.get("quiver.access.dropped").counter().count()).isEqualTo(4); // reads, time, one latency bucket, rows
        assertThat(meters.get("quiver.access.flush.failures").counter().count()).isEqualTo(1);
        recorder.flush(); // the dropped counts are gone, not retried forever
        assertThat(meters.get("quiver.access.flush.failures").counter().count()).isEqualTo(1);
    }
}
