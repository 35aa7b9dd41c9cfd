package io.quiver.security;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A per-group grant; lists are stored comma-separated (none of their items may hold a comma). */
@Entity
@Table(name = "qv_grant")
public class GrantRow extends PanacheEntityBase {

    @Id
    public String name;

    @Column(name = "group_pattern")
    public String groupPattern;

    public String tags;

    public String principals;

    public String teams;

    public String action;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;
}
