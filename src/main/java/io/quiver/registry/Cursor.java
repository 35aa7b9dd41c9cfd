package io.quiver.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.quiver.error.InvalidArgumentException;

/** Opaque keyset cursors: the sort key of the last item seen, base64url-encoded. */
final class Cursor {

    private static final String SEPARATOR = "\u001f";

    private Cursor() {
    }

    static String encode(String kind, Object... parts) {
        StringBuilder sb = new StringBuilder(kind);
        for (Object p : parts) {
            sb.append(SEPARATOR).append(p);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The parts after {@code kind}; a cursor of another kind or a garbled one is an argument error. */
    static List<String> decode(String kind, String cursor, int parts) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            List<String> split = List.of(text.split(SEPARATOR, -1));
            if (split.size() == parts + 1 && split.get(0).equals(kind)) {
                return split.subList(1, split.size());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidArgumentException("'after' is not a cursor of this listing; pass an endCursor or edge cursor "
                + "returned by the same query, or omit it to start at the beginning");
    }

    static int number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("'after' is not a cursor of this listing");
        }
    }
}
