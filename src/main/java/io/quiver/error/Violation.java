package io.quiver.error;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;

/**
 * One broken rule: where it is ({@code path}, e.g. {@code groups[0].features[2].type}), which rule, and what to do.
 */
@Description("One broken rule in a request: where, which rule, and what to do about it.")
public record Violation(
        @Description("Where the problem is, e.g. groups[0].features[2].type or rows[17].amount") String path,
        @Description("The rule that was broken, e.g. NAME_PATTERN, UNKNOWN_ENTITY") ValidationRule rule,
        @Description("What was wrong and how to fix it") String message) {

    public Violation {
        requireNonNull(path, "path");
        requireNonNull(rule, "rule");
        requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message + " [" + rule + "]";
    }
}
