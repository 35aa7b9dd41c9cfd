package io.quiver.online;

import static java.util.Objects.requireNonNull;

/**
 * One entity's latest values in one table (a group version): its encoded key, the event time and the created time
 * of the values in microseconds since the epoch ({@link #NO_CREATED_TIME} when the group has none), and the encoded
 * values. Of two records, the later (event time, created time) wins; a tie replaces, like a replayed write.
 */
public record OnlineRecord(String entity, long eventMicros, long createdMicros, String payload) {

    /** The created time of records of groups without a created timestamp column (it sorts first). */
    public static final long NO_CREATED_TIME = Long.MIN_VALUE;

    public OnlineRecord {
        requireNonNull(entity, "entity");
        requireNonNull(payload, "payload");
    }

    /** A record without a created time. */
    public OnlineRecord(String entity, long eventMicros, String payload) {
        this(entity, eventMicros, NO_CREATED_TIME, payload);
    }

    /** Whether this record may replace {@code stored} (null: nothing stored). */
    public boolean replaces(OnlineRecord stored) {
        return stored == null || stored.eventMicros < eventMicros
                || stored.eventMicros == eventMicros && stored.createdMicros <= createdMicros;
    }
}
