package io.quiver.access;

import java.time.Duration;

import org.eclipse.microprofile.graphql.Description;

/** A window of access metrics, ending now. */
@Description("A window of access metrics ending now: the last hour (minute buckets), day or week (hour buckets)")
public enum AccessWindow {
    @Description("The last 60 minutes, by minute")
    LAST_HOUR(Duration.ofHours(1), true),
    @Description("The last 24 hours, by hour")
    LAST_DAY(Duration.ofDays(1), false),
    @Description("The last 7 days, by hour")
    LAST_WEEK(Duration.ofDays(7), false);

    private final Duration length;
    private final boolean minutes;

    AccessWindow(Duration length, boolean minutes) {
        this.length = length;
        this.minutes = minutes;
    }

    public Duration length() {
        return length;
    }

    /** Whether it is read from minute buckets (else hour buckets). */
    public boolean minutes() {
        return minutes;
    }

    /** The first bucket index of the window ending at {@code nowMillis} (its last is the one holding now). */
    public long from(long nowMillis) {
        return to(nowMillis) - (minutes ? length.toMinutes() : length.toHours()) + 1;
    }

    public long to(long nowMillis) {
        return minutes ? nowMillis / 60_000 : nowMillis / 3_600_000;
    }
}
