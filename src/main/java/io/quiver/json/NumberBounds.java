package io.quiver.json;

import java.math.BigDecimal;

/**
 * The range of numbers Quiver accepts anywhere, checked before a number is made exact: a magnitude between 1e-400
 * and 1e400 (no stored type holds more: DOUBLE ends near 1.8e308, DECIMAL at 38 digits). Without it a value such as
 * {@code 1e999999999}, cheap to send, becomes a billion-digit integer wherever it is converted.
 */
public final class NumberBounds {

    /** Largest decimal exponent of a number's magnitude, either way. */
    public static final int MAX_MAGNITUDE = 400;

    private NumberBounds() {
    }

    /** Whether the number lies within the accepted range (zero does). */
    public static boolean within(BigDecimal n) {
        if (n.signum() == 0) {
            return true;
        }
        long magnitude = (long) n.precision() - n.scale(); // digits before the point, or minus the zeros after it
        return magnitude <= MAX_MAGNITUDE && magnitude >= -MAX_MAGNITUDE;
    }

    /** Whether the whole number fits a long, decided without building it. */
    public static boolean fitsLong(BigDecimal n) {
        return n.signum() == 0 || (long) n.precision() - n.scale() <= 19;
    }
}
