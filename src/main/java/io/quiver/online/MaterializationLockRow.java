package io.quiver.online;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Who may materialize a group version now: a lease held by one job, renewed while it runs. */
@Entity
@Table(name = "qv_materialization_lock")
public class MaterializationLockRow extends PanacheEntityBase {

    @Id
    @Column(name = "group_id")
    public Long groupId;

    @Column(name = "job_id")
    public long jobId;

    @Column(name = "expires_at")
    public Instant expiresAt;
}
