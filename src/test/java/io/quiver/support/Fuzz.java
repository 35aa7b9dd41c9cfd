package io.quiver.support;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Random and mutated inputs from a seed (printed by the tests, so a failure can be replayed with
 * {@code -DfuzzSeed=...}): JSON values with the edge cases parsers and converters trip on, mutations of
 * valid JSON trees and of valid binary bodies, and the check that an answer shows no internals.
 */
public final class Fuzz {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] EDGE_NUMBERS = {"0", "-0", "1e999999999", "-1e999999999", "1e-999999999", "9223372036854775808",
            "-9223372036854775809", "2147483648", "1.7976931348623157e309", "4.9e-325", "123456789012345678901234567890123456789012",
            "0.000000000000000000000000000000000000000001", "1e400", "1e401", "3.14", "-7", "1E+2"};
    private static final String[] EDGE_STRINGS = {"", " ", "null", "NaN", "Infinity", "-Infinity", "2026-01-01T00:00:00Z",
            "2026-13-45T99:99:99Z", "1e999999999", "'; DROP TABLE qv_feature_group; --", "\u0000", "\uD83D\uDE00", "\uFFFF",
            "../../../../etc/passwd", "%s%s%n", "${jndi:ldap://x/y}", "<script>", "a".repeat(300), "group.feature", "g@1.f", "@", "."};
    /** Text that would mean an answer gave away something internal. */
    private static final Pattern INTERNALS = Pattern.compile(
            "Exception|\\tat |\\.java:|\\b(?:java|javax|jakarta|sun|org|io\\.quiver|io\\.vertx|io\\.smallrye|io\\.quarkus|com\\.fasterxml)\\.[a-z]"
                    + "|jdbc:|SELECT |read_parquet|Binder Error|Parser Error|Catalog Error|Conversion Error|IO Error|Invalid Input Error"
                    + "|/tmp/|" + Pattern.quote(System.getProperty("java.io.tmpdir")) + "/|" + Pattern.quote(System.getProperty("user.dir")));

    private final Random random;
    private final long seed;

    public Fuzz(String name) {
        long base = Long.getLong("fuzzSeed", 20261201L);
        this.seed = base ^ name.hashCode();
        this.random = new Random(seed);
    }

    public long seed() {
        return seed;
    }

    public Random random() {
        return random;
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public <T> T pick(List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    @SafeVarargs
    public final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** What in the answer looks internal, or null. */
    public static String internals(String answer) {
        var m = INTERNALS.matcher(answer == null ? "" : answer);
        return m.find() ? answer.substring(Math.max(0, m.start() - 60), Math.min(answer.length(), m.end() + 60)) : null;
    }

    /** A random JSON value, nested up to {@code depth}. */
    public Object value(int depth) {
        int kind = random.nextInt(depth <= 0 ? 5 : 8);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> new RawNumber(pick(EDGE_NUMBERS));
            case 3 -> random.nextBoolean() ? random.nextLong() : random.nextDouble() * Math.pow(10, random.nextInt(40) - 20);
            case 4 -> random.nextBoolean() ? pick(EDGE_STRINGS) : randomString(random.nextInt(20));
            case 5, 6 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(value(depth - 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(random.nextBoolean() ? pick("customer_id", "event_timestamp", "v", "name", "user_id", "score") : randomString(6),
                            value(depth - 1));
                }
                yield map;
            }
        };
    }

    private String randomString(int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(random.nextInt(10) == 0 ? (char) (0x80 + random.nextInt(0x2000)) : (char) ('!' + random.nextInt(90)));
        }
        return b.toString();
    }

    /** A copy of the tree with one node somewhere replaced by a random value, or a member dropped or added. */
    @SuppressWarnings("unchecked")
    public Object mutate(Object tree) {
        Object copy = JSON.convertValue(tree, Object.class);
        List<Object> containers = new ArrayList<>();
        collect(copy, containers);
        if (containers.isEmpty() || random.nextInt(10) == 0) {
            return value(3);
        }
        Object target = pick(containers);
        if (target instanceof Map<?, ?> m && !m.isEmpty()) {
            Map<String, Object> map = (Map<String, Object>) m;
            List<String> keys = new ArrayList<>(map.keySet());
            switch (random.nextInt(3)) {
                case 0 -> map.remove(pick(keys));
                case 1 -> map.put(randomString(5), value(2));
                default -> map.put(pick(keys), value(3));
            }
        } else if (target instanceof List<?> l && !l.isEmpty()) {
            List<Object> list = (List<Object>) l;
            list.set(random.nextInt(list.size()), value(3));
        }
        return copy;
    }

    private static void collect(Object node, List<Object> out) {
        if (node instanceof Map<?, ?> m) {
            out.add(m);
            m.values().forEach(v -> collect(v, out));
        } else if (node instanceof List<?> l) {
            out.add(l);
            l.forEach(v -> collect(v, out));
        }
    }

    /** The tree as JSON text; {@link RawNumber}s are written as given (JSON numbers no Java type holds). */
    public static String json(Object tree) {
        try {
            return JSON.writeValueAsString(tree).replaceAll("\\{\"raw\":\"([^\"]*)\"}", "$1");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A number written exactly as its text. */
    public record RawNumber(String raw) {
    }

    /** A copy of a binary body with a few bytes, ints or ranges changed, or cut short, or grown. */
    public byte[] mutate(byte[] body) {
        byte[] b = body.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && b.length > 8; e++) {
            switch (random.nextInt(6)) {
                case 0 -> b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[random.nextInt(b.length)] = (byte) (int) pick(0x00, 0xFF, 0x7F, 0x80);
                case 2 -> {
                    int at = random.nextInt(b.length - 4) & ~3;
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, pick(0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 8));
                }
                case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length));
                case 4 -> {
                    int from = random.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + random.nextInt(64));
                    byte[] grown = Arrays.copyOf(b, b.length + len);
                    System.arraycopy(b, from, grown, b.length, len);
                    b = grown;
                }
                default -> {
                    int from = random.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + random.nextInt(32));
                    for (int i = 0; i < len; i++) {
                        b[from + i] = (byte) random.nextInt(256);
                    }
                }
            }
        }
        return b;
    }
}
