package io.quiver.api.http;

import java.io.IOException;
import java.math.BigDecimal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import io.quiver.json.NumberBounds;

/**
 * Bounds on JSON numbers, checked before any number is converted: a number's magnitude must lie within 1e-400 ..
 * 1e400 (no stored type holds more: DOUBLE ends near 1.8e308, DECIMAL at 38 digits) and its text within
 * {@link #MAX_NUMBER_LENGTH} characters. Without this, a value such as {@code 1e999999999} is cheap to send and
 * turns into a billion-digit integer wherever it is made exact.
 */
public final class JsonLimits {

    /** Most characters of one JSON number. */
    public static final int MAX_NUMBER_LENGTH = 1000;
    /** Largest decimal exponent of a number's magnitude, either way. */
    public static final int MAX_MAGNITUDE = NumberBounds.MAX_MAGNITUDE;

    private JsonLimits() {
    }

    /** What is wrong with the number, or null when it is within bounds. */
    public static String check(BigDecimal n) {
        if (!NumberBounds.within(n)) {
            return "the number " + abbreviate(n.toString()) + " is out of range: numbers must lie between 1e-" + MAX_MAGNITUDE
                    + " and 1e" + MAX_MAGNITUDE + " in magnitude";
        }
        return null;
    }

    /** What is wrong with the JSON number text, or null when it is within bounds. */
    public static String check(String text) {
        if (text.length() > MAX_NUMBER_LENGTH) {
            return "a number has more than " + MAX_NUMBER_LENGTH + " characters";
        }
        try {
            return check(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return "'" + abbreviate(text) + "' is not a number";
        }
    }

    /**
     * Checks the value the parser is at (a scalar, or an object or array with everything in it) and leaves the parser
     * on its last token.
     *
     * @return what is wrong with a number in it, or null
     */
    public static String checkValues(JsonParser p) throws IOException {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                String bad = check(p.getText());
                if (bad != null) {
                    return bad;
                }
            }
            if (depth == 0) {
                return null;
            }
        } while (p.nextToken() != null);
        throw new com.fasterxml.jackson.core.io.JsonEOFException(p, null, "the JSON ends inside an object or array");
    }

    /** The parser's complaint in a sentence, without stream internals. */
    public static String describe(IOException e) {
        String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : "unreadable";
        message = message == null ? "unreadable" : message.split("\n", 2)[0];
        if (message.contains("nesting depth")) {
            message = "it nests objects and arrays too deep";
        } else if (message.contains("StreamReadConstraints") || message.contains("length (")) {
            message = "a value is longer than allowed";
        }
        if (e instanceof JsonProcessingException j && j.getLocation() != null) {
            message += " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
        }
        return abbreviate(message);
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
