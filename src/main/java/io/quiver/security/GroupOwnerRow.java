package io.quiver.security;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The team that owns a group (every version of it). */
@Entity
@Table(name = "qv_group_owner")
public class GroupOwnerRow extends PanacheEntityBase {

    @Id
    @Column(name = "group_name")
    public String groupName;

    public String team;

    @Column(name = "set_by")
    public String setBy;

    @Column(name = "set_at")
    public Instant setAt;
}
