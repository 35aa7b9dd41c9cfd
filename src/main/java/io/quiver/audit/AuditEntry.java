package io.quiver.audit;

import java.time.Instant;

import org.eclipse.microprofile.graphql.Description;

/** One row of the audit trail, as admins read it. */
@Description("Who did what, when, from where, under which request, with what outcome")
public record AuditEntry(@Description("Position in the trail; later entries have larger ids") long id,
        @Description("When it happened") Instant at,
        @Description("Who: key:<id> for an API key, anonymous on an open instance, system for schedules and background work") String principal,
        @Description("The API key's name") String keyName,
        @Description("The client address the request came from") String address,
        @Description("The request id, as in the logs and in error answers") String requestId,
        @Description("What was done, e.g. REGISTER, WRITE, DELETE_GROUP, FORCE_STRATEGY, CREATE_API_KEY") String action,
        @Description("What it was done to, e.g. a group name and version") String target,
        @Description("SUCCEEDED (recorded with the change, in its transaction), DENIED or FAILED") String outcome,
        @Description("What changed, in a sentence") String detail) {
}
