package io.quiver.hybrid;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quiver.config.Mode;
import io.quiver.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/** The hybrid selector's rows: strategy per group version, its history, the evaluator lease. */
@ApplicationScoped
public class StrategyStore {

    @Transactional
    public Optional<StrategyRow> find(long groupId) {
        return Optional.ofNullable(StrategyRow.findById(groupId));
    }

    @Transactional
    public Map<Long, StrategyRow> all() {
        Map<Long, StrategyRow> out = new LinkedHashMap<>();
        StrategyRow.<StrategyRow>listAll().forEach(r -> out.put(r.groupId, r));
        return out;
    }

    /**
     * Marks the group's fill as still alive (queued or running on this replica), so that no replica takes it as
     * abandoned; a row whose fill is not RUNNING is left alone.
     */
    @Transactional
    public void renewFill(long groupId) {
        StrategyRow.update("updatedAt = ?1 where groupId = ?2 and fillState = ?3", now(), groupId, GroupFills.RUNNING);
    }

    /**
     * Changes a group's row under a row lock (created VIRTUALIZED when missing), and records the events the change
     * adds, in one transaction.
     *
     * @return the row as changed
     */
    @Transactional
    public StrategyRow update(long groupId, Consumer<Change> change) {
        StrategyRow row = StrategyRow.findById(groupId, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            row = new StrategyRow();
            row.groupId = groupId;
            row.serving = Mode.VIRTUALIZED.name();
            row.updatedAt = now();
            row.persist();
        }
        Change c = new Change(row);
        change.accept(c);
        row.updatedAt = now();
        for (StrategyEventRow e : c.events) {
            e.groupId = groupId;
            e.at = row.updatedAt;
            e.persist();
        }
        return row;
    }

    /** A change being made to a row: the row itself and the events to record. */
    public static final class Change {
        public final StrategyRow row;
        private final List<StrategyEventRow> events = new ArrayList<>();

        Change(StrategyRow row) {
            this.row = row;
        }

        public void event(StrategyEvent.Kind kind, Mode from, Mode to, String reason, Map<String, Object> inputs) {
            StrategyEventRow e = new StrategyEventRow();
            e.kind = kind.name();
            e.fromMode = from == null ? null : from.name();
            e.toMode = to == null ? null : to.name();
            e.reason = reason;
            e.inputsJson = inputs == null ? null : Json.write(inputs);
            events.add(e);
        }
    }

    /** The group's history, newest first. */
    @Transactional
    public List<StrategyEvent> history(long groupId, int first) {
        return StrategyEventRow.<StrategyEventRow>find("groupId = ?1 order by id desc", groupId).page(0, first).list().stream()
                .map(e -> new StrategyEvent(e.at, StrategyEvent.Kind.valueOf(e.kind), mode(e.fromMode), mode(e.toMode), e.reason,
                        inputs(e.inputsJson)))
                .toList();
    }

    /** Deletes all but the newest {@code keep} events of the group version. */
    @Transactional
    public long prune(long groupId, int keep) {
        List<StrategyEventRow> boundary = StrategyEventRow.<StrategyEventRow>find("groupId = ?1 order by id desc", groupId).page(keep, 1).list();
        return boundary.isEmpty() ? 0 : StrategyEventRow.delete("groupId = ?1 and id <= ?2", groupId, boundary.get(0).id);
    }

    static Mode mode(String name) {
        return name == null ? null : Mode.valueOf(name);
    }

    static List<StrategyInput> inputs(String json) {
        return recorded(json).entrySet().stream().map(e -> new StrategyInput(e.getKey(), String.valueOf(e.getValue()))).toList();
    }

    /** A decision's inputs as recorded with it, by name in their order (empty when none was recorded). */
    static Map<String, Object> recorded(String json) {
        return json == null ? Map.of() : Json.read(json, new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    /** Takes or renews the named lease for this holder unless another holds a live one. */
    @Transactional
    public boolean lease(String name, String holder, Duration length) {
        HybridLeaseRow lease = HybridLeaseRow.findById(name, LockModeType.PESSIMISTIC_WRITE);
        Instant now = now();
        if (lease == null) {
            lease = new HybridLeaseRow();
            lease.name = name;
            lease.holder = holder;
            lease.expiresAt = now.plus(length);
            lease.persist(); // two replicas inserting at once: one commit fails on the key and skips this round
            return true;
        }
        if (!lease.holder.equals(holder) && lease.expiresAt.isAfter(now)) {
            return false;
        }
        lease.holder = holder;
        lease.expiresAt = now.plus(length);
        return true;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
