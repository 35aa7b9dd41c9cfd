package io.quiver.online;

import static java.util.Objects.requireNonNull;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;

/** What a committed write did to the online store. */
@Description("What a committed write did to the online store")
public record OnlineUpdate(
        @Description("UPDATED, PENDING (the online store failed; the next materialization catches up) or DISABLED") Status status,
        @Description("Entities whose latest values were replaced (older events never replace newer ones)") long entities,
        @Description("Why the update is pending; null otherwise") String error) {

    /** How the online store took a write. */
    @Description("How the online store took a write")
    @Name("OnlineUpdateStatus")
    public enum Status {
        @Description("The latest values of the written entities are online")
        UPDATED,
        @Description("The online store failed; the write is committed offline and flagged for the next materialization")
        PENDING,
        @Description("The group keeps no online values (onlineEnabled: false)")
        DISABLED
    }

    public OnlineUpdate {
        requireNonNull(status, "status");
    }

    public static final OnlineUpdate DISABLED = new OnlineUpdate(Status.DISABLED, 0, null);
}
