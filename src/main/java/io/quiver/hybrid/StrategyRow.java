package io.quiver.hybrid;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A hybrid group version's strategy: what serves it, what the selector decided and why, an override. */
@Entity
@Table(name = "qv_group_strategy")
public class StrategyRow extends PanacheEntityBase {

    @Id
    @Column(name = "group_id")
    public Long groupId;

    /** MATERIALIZED only once a fill succeeded. */
    public String serving;

    public String decided;

    @Column(name = "decided_at")
    public Instant decidedAt;

    public String reason;

    @Column(name = "inputs_json")
    public String inputsJson;

    public String forced;

    @Column(name = "forced_until")
    public Instant forcedUntil;

    @Column(name = "forced_reason")
    public String forcedReason;

    /** RUNNING, SUCCEEDED or FAILED: the latest fill of stored data from the query. */
    @Column(name = "fill_state")
    public String fillState;

    @Column(name = "fill_job_id")
    public Long fillJobId;

    /** How long the latest successful fill took: the measured refresh cost. */
    @Column(name = "fill_millis")
    public Long fillMillis;

    @Column(name = "filled_at")
    public Instant filledAt;

    /** When a group turned VIRTUALIZED has its stored data expired. */
    @Column(name = "stored_until")
    public Instant storedUntil;

    /** The online table reads of the filled group use: the latest successful fill's generation. */
    @Column(name = "online_table")
    public String onlineTable;

    /** The generation a refresh replaced, dropped by a round once {@code quiver.hybrid.retired-grace} has passed. */
    @Column(name = "retired_table")
    public String retiredTable;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "updated_at")
    public Instant updatedAt;
}
