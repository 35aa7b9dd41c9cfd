package io.quiver.json;

import static java.util.Objects.requireNonNull;

/**
 * A JSON number exactly as stored (e.g. {@code 0.1234} or {@code 12.50}): online values are passed through as text
 * rather than parsed and printed again, which keeps DECIMALs exact and costs nothing per value.
 */
public record JsonText(String text) {

    public JsonText {
        requireNonNull(text, "text");
    }

    @Override
    public String toString() {
        return text;
    }
}
