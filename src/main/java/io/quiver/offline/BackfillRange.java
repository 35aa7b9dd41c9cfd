package io.quiver.offline;

import java.time.Instant;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

@Input("BackfillInput")
@Description("The event-time range [start, end) a backfill replaces")
public record BackfillRange(
        @Description("First instant replaced (inclusive)") Instant start,
        @Description("First instant kept (exclusive)") Instant end) {
}
