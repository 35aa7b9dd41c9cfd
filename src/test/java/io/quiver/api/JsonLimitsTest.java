package io.quiver.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.quiver.api.http.JsonLimits;

class JsonLimitsTest {

    @Test
    void numbersBeyondTheMagnitudeBoundAreRefusedAndOthersKept() {
        Random random = new Random(20261201L);
        for (int i = 0; i < 2000; i++) {
            int exponent = random.nextInt(4001) - 2000;
            int mantissa = 1 + random.nextInt(999);
            BigDecimal n = new BigDecimal(mantissa + "e" + exponent);
            long magnitude = (long) n.precision() - n.scale();
            boolean within = magnitude <= 400 && magnitude >= -400;
            assertThat(JsonLimits.check(n) == null).as("%s", n).isEqualTo(within);
            assertThat(JsonLimits.check(mantissa + "e" + exponent) == null).as("%s", n).isEqualTo(within);
        }
        assertThat(JsonLimits.check("1e999999999")).contains("out of range");
        assertThat(JsonLimits.check("-1e-999999999")).contains("out of range");
        assertThat(JsonLimits.check(BigDecimal.ZERO)).isNull();
        assertThat(JsonLimits.check("1".repeat(1001))).contains("more than 1000 characters");
    }
}
