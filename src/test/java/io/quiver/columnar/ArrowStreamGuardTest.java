package io.quiver.columnar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.quiver.support.Hostile;

/** The framing checks of Arrow IPC streams, on streams built and corrupted in memory. */
class ArrowStreamGuardTest {

    private static final ArrowStreamGuard.Limits LIMITS = new ArrowStreamGuard.Limits(1 << 20, 1 << 20, 100, 1 << 20);

    private static String failure(byte[] stream, ArrowStreamGuard.Limits limits) {
        ArrowStreamGuard guard = new ArrowStreamGuard(new ByteArrayInputStream(stream), limits);
        assertThatThrownBy(guard::readAllBytes).isInstanceOf(ArrowStreamGuard.InvalidStreamException.class);
        return guard.failure();
    }

    @Test
    void aValidStreamPassesThroughByteForByte() throws Exception {
        byte[] stream = Hostile.withNames(5000, v -> { });
        ArrowStreamGuard guard = new ArrowStreamGuard(new ByteArrayInputStream(stream), LIMITS);
        assertThat(guard.readAllBytes()).isEqualTo(stream);
        assertThat(guard.failure()).isNull();
    }

    @Test
    void declaredSizesBeyondTheBoundsEndTheStreamBeforeTheyAreRead() {
        assertThat(failure(Hostile.hugeFirstMessage(), LIMITS)).contains("declares 2147483632 bytes of metadata");
        byte[] stream = Hostile.withNames(5000, v -> { });
        // the schema message's metadata length is the int after the continuation marker
        assertThat(failure(Hostile.withInt(stream, 4, -8), LIMITS)).contains("bytes of metadata");
        assertThat(failure(stream, new ArrowStreamGuard.Limits(1 << 20, 1000, 100, 1 << 20))).contains("a record batch may take at most 1000");
        assertThat(failure(stream, new ArrowStreamGuard.Limits(1 << 20, 1 << 20, 2, 1 << 20))).contains("more than 2 fields");
        assertThat(failure(stream, new ArrowStreamGuard.Limits(1 << 20, 1 << 20, 100, 10))).contains("declares 5000 rows");
    }

    @Test
    void aStreamCutShortIsReportedAsSuch() {
        byte[] stream = Hostile.withNames(5000, v -> { });
        assertThat(failure(Arrays.copyOf(stream, stream.length - 100), LIMITS)).contains("ends inside");
        assertThat(failure(Arrays.copyOf(stream, 6), LIMITS)).contains("ends inside a message header");
    }

    @Test
    void garbageIsNotTakenForAStream() {
        assertThat(failure("customer_id,amount\n1,2\n".repeat(20).getBytes(), LIMITS)).contains("bytes of metadata");
        byte[] junk = new byte[64];
        Arrays.fill(junk, (byte) 0x11);
        junk[0] = (byte) 0xFF;
        junk[1] = (byte) 0xFF;
        junk[2] = (byte) 0xFF;
        junk[3] = (byte) 0xFF;
        junk[4] = 16;
        junk[5] = 0;
        junk[6] = 0;
        junk[7] = 0;
        assertThat(failure(junk, LIMITS)).isNotBlank();
    }
}
