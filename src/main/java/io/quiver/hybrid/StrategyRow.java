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

    @Column(name = "updated_at")
    public Instant updatedAt;
}
