package io.quiver.online;

import static java.util.Objects.requireNonNull;

/** Which record to read: a table (group version) and an encoded entity key. */
public record OnlineKey(String table, String entity) {

    public OnlineKey {
        requireNonNull(table, "table");
        requireNonNull(entity, "entity");
    }
}
