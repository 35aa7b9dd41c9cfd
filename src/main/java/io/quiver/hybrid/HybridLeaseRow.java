package io.quiver.hybrid;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Which replica evaluates hybrid groups now: a lease renewed on each evaluation round. */
@Entity
@Table(name = "qv_hybrid_lease")
public class HybridLeaseRow extends PanacheEntityBase {

    @Id
    public String name;

    public String holder;

    @Column(name = "expires_at")
    public Instant expiresAt;
}
