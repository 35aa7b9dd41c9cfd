package io.quiver.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The audit trail's only writer and reader. */
@ApplicationScoped
public class AuditLog {

    public static final String SUCCEEDED = "SUCCEEDED";
    public static final String DENIED = "DENIED";
    public static final String FAILED = "FAILED";

    /**
     * Records a change inside the transaction that makes it (MANDATORY: without one this fails, and so does the
     * change), for the current {@link AuditContext} actor.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void changed(String action, String target, String detail) {
        insert(AuditContext.current(), action, target, SUCCEEDED, detail);
    }

    /** Records an attempt that did not change anything (refused or failed), in a transaction of its own. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void attempted(AuditContext.Actor actor, String action, String target, String outcome, String detail) {
        insert(actor, action, target, outcome, detail);
    }

    private static void insert(AuditContext.Actor actor, String action, String target, String outcome, String detail) {
        AuditRow row = new AuditRow();
        row.at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        row.principal = cut(actor.principal(), 200);
        row.keyName = cut(actor.keyName(), 100);
        row.address = cut(actor.address(), 100);
        row.requestId = cut(actor.requestId(), 100);
        row.action = action;
        row.target = cut(target, 400);
        row.outcome = outcome;
        row.detail = cut(detail, 2_000);
        row.persist();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** A filter over the trail; null fields match everything. */
    public record Filter(String principal, String action, String target, String outcome, Instant from, Instant to) {
    }

    /** The newest entries first, older than {@code before} (an id) when given. */
    @Transactional
    public List<AuditEntry> list(Filter filter, int first, Long before) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        Filter f = filter == null ? new Filter(null, null, null, null, null, null) : filter;
        add(where, params, "principal", f.principal());
        add(where, params, "action", f.action());
        add(where, params, "outcome", f.outcome());
        if (f.target() != null) {
            where.add("target like :target");
            params.put("target", f.target().replace("%", "\\%") + "%");
        }
        if (f.from() != null) {
            where.add("at >= :from");
            params.put("from", f.from());
        }
        if (f.to() != null) {
            where.add("at < :to");
            params.put("to", f.to());
        }
        if (before != null) {
            where.add("id < :before");
            params.put("before", before);
        }
        Parameters p = new Parameters();
        params.forEach(p::and);
        List<AuditRow> rows = where.isEmpty() ? AuditRow.findAll(Sort.descending("id")).page(0, first).list()
                : AuditRow.find(String.join(" and ", where), Sort.descending("id"), p).page(0, first).list();
        return rows.stream().map(r -> new AuditEntry(r.id, r.at, r.principal, r.keyName, r.address, r.requestId, r.action, r.target,
                r.outcome, r.detail)).toList();
    }

    private static void add(List<String> where, Map<String, Object> params, String field, String value) {
        if (value != null) {
            where.add(field + " = :" + field);
            params.put(field, value);
        }
    }
}
