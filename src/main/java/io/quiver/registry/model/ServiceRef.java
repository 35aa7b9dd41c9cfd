package io.quiver.registry.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quiver.error.InvalidArgumentException;

/**
 * One entry of a feature service's list: a whole group ({@code group}, {@code group@2}) or one feature
 * ({@code group.feature}, {@code group:feature}, {@code group@2.feature}); without a version it follows the latest.
 *
 * @param version the pinned version, 0 to follow the latest
 * @param feature the feature, null for every feature of the group
 */
public record ServiceRef(String group, int version, String feature) {

    private static final Pattern SYNTAX = Pattern.compile(
            "(" + Names.PATTERN_TEXT + ")(?:@v?([0-9]{1,9}))?(?:[.:](" + Names.PATTERN_TEXT + "))?");

    /** @throws InvalidArgumentException when the text is not a reference */
    public static ServiceRef parse(String text) {
        Matcher m = text == null ? null : SYNTAX.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new InvalidArgumentException("'" + text + "' is not a feature service entry; write group (every feature of it), "
                    + "group.feature, or pin a version: group@2, group@2.feature");
        }
        int version = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (m.group(2) != null && version == 0) {
            throw new InvalidArgumentException("'" + text + "': versions start at 1");
        }
        return new ServiceRef(m.group(1), version, m.group(3));
    }

    public boolean wholeGroup() {
        return feature == null;
    }

    /** Whether this entry covers the feature of that group version ({@code latest}: the version is the latest). */
    public boolean covers(String group, int version, boolean latest, String feature) {
        return this.group.equals(group) && (this.version == 0 ? latest : this.version == version)
                && (this.feature == null || this.feature.equals(feature));
    }

    /** The feature reference of one of the group's features, in the form the read paths take. */
    public String featureReference(String feature) {
        return group + (version == 0 ? "" : "@" + version) + "." + feature;
    }

    /** Canonical text: {@code group[@version][.feature]}. */
    @Override
    public String toString() {
        return group + (version == 0 ? "" : "@" + version) + (feature == null ? "" : "." + feature);
    }
}
