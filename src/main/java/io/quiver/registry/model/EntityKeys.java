package io.quiver.registry.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import io.quiver.error.InvalidArgumentException;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violations;
import io.quiver.json.NumberBounds;

/**
 * Entity key values as clients send them (JSON numbers and strings) and as the online store keys them: a JSON array
 * of the typed values in join-key order, e.g. {@code [1001]} or {@code ["u-7",3]}. The same text whether the values
 * came from a request or from a data file, so writes and reads meet.
 */
public final class EntityKeys {

    private EntityKeys() {
    }

    /**
     * The typed key value (a Long for INT and BIGINT keys, a String for STRING keys), or null when the value is
     * missing or cannot be a key of that type (text is not parsed into numbers, and numbers must be whole and fit).
     */
    public static Object convert(Object v, DataType type) {
        if (type == DataType.STRING) {
            return v instanceof String s ? s : null;
        }
        if (v instanceof BigInteger || v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            BigInteger i = new BigInteger(v.toString());
            long min = type == DataType.INT ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long max = type == DataType.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
            return i.compareTo(BigInteger.valueOf(min)) >= 0 && i.compareTo(BigInteger.valueOf(max)) <= 0 ? i.longValue() : null;
        }
        if (v instanceof BigDecimal d && NumberBounds.fitsLong(d) && d.stripTrailingZeros().scale() <= 0) {
            return convert(d.toBigIntegerExact(), type);
        }
        if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())
                && Math.abs(((Number) v).doubleValue()) < 1e19 && ((Number) v).doubleValue() == Math.rint(((Number) v).doubleValue())) {
            return convert(BigDecimal.valueOf(((Number) v).doubleValue()), type);
        }
        return null;
    }

    /**
     * The join keys an entity needs for a set of groups, by name in first-seen order, with their types; groups that
     * share a key name must agree on its type.
     */
    public static Map<String, DataType> keyTypes(Collection<GroupSchema> groups) {
        Map<String, DataType> keys = new LinkedHashMap<>();
        for (GroupSchema g : groups) {
            for (JoinKey k : g.group().entityKeys()) {
                DataType previous = keys.putIfAbsent(k.name(), k.valueType());
                if (previous != null && previous != k.valueType()) {
                    throw new InvalidArgumentException("join key '" + k.name() + "' is " + previous + " in one requested group and "
                            + k.valueType() + " in '" + g.group().name() + "'; request them separately");
                }
            }
        }
        return keys;
    }

    /**
     * The typed join-key values of one entity (name to Long or String; null where missing or invalid), recording
     * a violation at {@code path.key} for each key that is missing or cannot be a key of its type.
     *
     * @param path where the entity is in the request, e.g. {@code entities[3]}
     */
    public static Map<String, Object> typed(Map<String, Object> entity, Map<String, DataType> keyTypes, String path, Violations violations) {
        Map<String, Object> values = entity == null ? Map.of() : entity;
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, DataType> k : keyTypes.entrySet()) {
            Object v = values.get(k.getKey());
            Object converted = convert(v, k.getValue());
            if (converted == null) {
                violations.add(path + "." + k.getKey(), v == null ? ValidationRule.MISSING_KEY : ValidationRule.TYPE,
                        v == null ? "every entity needs the join key '" + k.getKey() + "' of the requested groups"
                                : "'" + v + "' is not a valid " + k.getValue() + " key");
            }
            typed.put(k.getKey(), converted);
        }
        return typed;
    }

    /** The store's text for typed key values (Longs and Strings, in join-key order). */
    public static String encode(List<Object> typed) {
        StringBuilder out = new StringBuilder(16).append('[');
        for (int i = 0; i < typed.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object v = typed.get(i);
            if (v instanceof String s) {
                out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(s)).append('"');
            } else if (v instanceof Long || v instanceof Integer) {
                out.append(v);
            } else {
                throw new IllegalArgumentException("key values are Longs or Strings, not " + v);
            }
        }
        return out.append(']').toString();
    }
}
