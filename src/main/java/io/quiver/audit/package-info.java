/**
 * The audit trail: who changed what, when, from where, under which request, with what outcome. A change records its
 * row inside its own transaction ({@link io.quiver.audit.AuditLog#changed}), so the two land together or not at all;
 * refused and failed attempts are recorded afterwards in a transaction of their own.
 */
package io.quiver.audit;
