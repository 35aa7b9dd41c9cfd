package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;

/** A free-form metadata entry. */
@Description("A free-form metadata entry")
public record KeyValue(@Description("Entry key") String key, @Description("Entry value") String value) {
    public KeyValue {
        requireNonNull(key, "key");
        requireNonNull(value, "value");
    }
}
