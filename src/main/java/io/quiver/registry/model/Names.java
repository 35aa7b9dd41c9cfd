package io.quiver.registry.model;

import java.util.regex.Pattern;

/** The naming rules shared by entities, groups, features, columns and tags. */
public final class Names {

    public static final String PATTERN_TEXT = "[a-z][a-z0-9_]{0,62}";
    /** Column names DuckDB gives its own columns when it reads data files (row numbers); no column may take them. */
    public static final java.util.Set<String> RESERVED_COLUMNS = java.util.Set.of("file_row_number");
    private static final Pattern NAME = Pattern.compile(PATTERN_TEXT);
    /** Datasets are lake tables such as {@code silver.transactions}: dot-separated names. */
    private static final Pattern DATASET = Pattern.compile(PATTERN_TEXT + "(\\." + PATTERN_TEXT + ")*");
    /** Tags are short labels; {@code team:risk} or {@code pii} style. */
    public static final String TAG_PATTERN_TEXT = "[a-z0-9][a-z0-9_:.=-]{0,62}";
    private static final Pattern TAG = Pattern.compile(TAG_PATTERN_TEXT);

    private Names() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    public static boolean isValidDataset(String name) {
        return name != null && name.length() <= 255 && DATASET.matcher(name).matches();
    }

    public static boolean isValidTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }
}
