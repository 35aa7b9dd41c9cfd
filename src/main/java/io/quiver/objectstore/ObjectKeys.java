package io.quiver.objectstore;

import java.util.regex.Pattern;

/**
 * Keys are relative, '/'-separated paths of safe characters: the same key must mean the same thing on S3 and on
 * a local disk, so nothing that a filesystem would interpret (.., absolute paths, backslashes) is allowed.
 */
public final class ObjectKeys {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.=-]{1,200}");

    private ObjectKeys() {
    }

    public static String check(String key) {
        if (key == null || key.isEmpty() || key.length() > 1000) {
            throw new IllegalArgumentException("an object key must have 1 to 1000 characters");
        }
        for (String segment : key.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("object key '" + key + "' has an invalid segment '" + segment
                        + "'; use relative paths of letters, digits and _ . = -");
            }
        }
        return key;
    }

    /** A prefix is a key or the start of one; the empty prefix lists everything. */
    public static String checkPrefix(String prefix) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        check(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }
}
