package io.quiver.online;

import static java.util.Objects.requireNonNull;

/**
 * One entity's latest values in one table (a group version): its encoded key, the event time of the values in
 * microseconds since the epoch, and the encoded values.
 */
public record OnlineRecord(String entity, long eventMicros, String payload) {

    public OnlineRecord {
        requireNonNull(entity, "entity");
        requireNonNull(payload, "payload");
    }
}
