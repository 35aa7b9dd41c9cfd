package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quiver.error.InvalidArgumentException;

/**
 * A parsed feature reference: {@code group.feature} or {@code group:feature} for the latest version,
 * {@code group@2.feature} (or {@code group@2:feature}) for a named version.
 *
 * @param version the named version, or 0 for "latest"
 */
public record FeatureRef(String group, int version, String feature) {

    private static final Pattern SYNTAX = Pattern.compile(
            "([a-z][a-z0-9_]{0,62})(?:@v?([0-9]{1,9}))?[.:]([a-z][a-z0-9_]{0,62})");

    public FeatureRef {
        requireNonNull(group, "group");
        requireNonNull(feature, "feature");
        if (version < 0) {
            throw new IllegalArgumentException("version must be positive");
        }
    }

    public static FeatureRef parse(String reference) {
        Matcher m = reference == null ? null : SYNTAX.matcher(reference.trim());
        if (m == null || !m.matches()) {
            throw new InvalidArgumentException("'" + reference + "' is not a feature reference; write group.feature "
                    + "(or group:feature, or group@2.feature for version 2), names matching [a-z][a-z0-9_]{0,62}");
        }
        int version = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (m.group(2) != null && version == 0) {
            throw new InvalidArgumentException("'" + reference + "': versions start at 1");
        }
        return new FeatureRef(m.group(1), version, m.group(3));
    }

    public boolean latest() {
        return version == 0;
    }

    /** The reference as written for the latest version ({@code group.feature}). */
    public String unversioned() {
        return group + "." + feature;
    }

    @Override
    public String toString() {
        return version == 0 ? unversioned() : group + "@" + version + "." + feature;
    }
}
