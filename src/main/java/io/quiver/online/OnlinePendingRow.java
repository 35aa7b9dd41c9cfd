package io.quiver.online;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A committed write whose online update failed; the next incremental materialization covers its rows. */
@Entity
@Table(name = "qv_online_pending")
public class OnlinePendingRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "group_id")
    public long groupId;

    @Column(name = "snapshot_id")
    public long snapshotId;

    /** The write's earliest event time: incremental materialization starts no later than this. */
    @Column(name = "min_event")
    public Instant minEvent;

    public String error;

    @Column(name = "created_at")
    public Instant createdAt;
}
