package io.quiver.offline;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A write in progress (see {@link WriteIntents}). */
@Entity
@Table(name = "qv_write_intent")
public class WriteIntentRow extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "group_id")
    public long groupId;

    @Enumerated(EnumType.STRING)
    public SnapshotOperation operation;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "renewed_at")
    public Instant renewedAt;
}
