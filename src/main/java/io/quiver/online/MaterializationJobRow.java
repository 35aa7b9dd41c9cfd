package io.quiver.online;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A materialization job as stored. */
@Entity
@Table(name = "qv_materialization_job")
public class MaterializationJobRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "group_id")
    public long groupId;

    @Enumerated(EnumType.STRING)
    public MaterializationJob.Kind kind;

    @Enumerated(EnumType.STRING)
    @Column(name = "trigger_kind")
    public MaterializationJob.Trigger trigger;

    @Column(name = "range_start")
    public Instant start;

    @Column(name = "range_end")
    public Instant end;

    @Enumerated(EnumType.STRING)
    public MaterializationJob.Status status;

    @Column(name = "rows_read")
    public long rowsRead;

    public long entities;

    @Column(name = "snapshot_id")
    public Long snapshotId;

    public String error;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "request_id")
    public String requestId;

    public String engine;

    @Column(name = "engine_reason")
    public String engineReason;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    MaterializationJob toModel(String group, int version) {
        return new MaterializationJob(id, group, version, kind, trigger, start, end, status, rowsRead, entities, snapshotId,
                error, errorCode, requestId, engine, engineReason, createdAt, startedAt, finishedAt);
    }
}
