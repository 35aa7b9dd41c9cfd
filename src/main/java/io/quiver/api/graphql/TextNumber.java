package io.quiver.api.graphql;

import java.math.BigDecimal;
import java.math.BigInteger;

import jakarta.json.JsonNumber;

/**
 * A JSON number kept as the text it was stored as: written out as that text, parsed only if someone asks for its
 * value. Online answers hold thousands of numbers that are only ever printed again.
 */
final class TextNumber implements JsonNumber {

    private final String text;
    private BigDecimal value;

    TextNumber(String text) {
        this.text = text;
    }

    @Override
    public BigDecimal bigDecimalValue() {
        if (value == null) {
            value = new BigDecimal(text);
        }
        return value;
    }

    @Override
    public boolean isIntegral() {
        return bigDecimalValue().scale() <= 0;
    }

    @Override
    public int intValue() {
        return bigDecimalValue().intValue();
    }

    @Override
    public int intValueExact() {
        return bigDecimalValue().intValueExact();
    }

    @Override
    public long longValue() {
        return bigDecimalValue().longValue();
    }

    @Override
    public long longValueExact() {
        return bigDecimalValue().longValueExact();
    }

    @Override
    public BigInteger bigIntegerValue() {
        return bigDecimalValue().toBigInteger();
    }

    @Override
    public BigInteger bigIntegerValueExact() {
        return bigDecimalValue().toBigIntegerExact();
    }

    @Override
    public double doubleValue() {
        return Double.parseDouble(text);
    }

    @Override
    public ValueType getValueType() {
        return ValueType.NUMBER;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonNumber n && bigDecimalValue().equals(n.bigDecimalValue());
    }

    @Override
    public int hashCode() {
        return bigDecimalValue().hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
