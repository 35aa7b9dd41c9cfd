package io.quiver.offline;

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

/** A snapshot: its place on the chain, what its commit did, and the totals of its state. */
@Entity
@Table(name = "qv_snapshot")
public class SnapshotRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "group_id")
    public long groupId;

    @Column(name = "parent_id")
    public Long parentId;

    @Column(name = "sequence_number")
    public long sequenceNumber;

    @Column(name = "commit_id")
    public String commitId;

    @Enumerated(EnumType.STRING)
    public SnapshotOperation operation;

    @Column(name = "committed_at")
    public Instant committedAt;

    @Column(name = "file_count")
    public long fileCount;

    @Column(name = "row_count")
    public long rowCount;

    @Column(name = "byte_count")
    public long byteCount;

    @Column(name = "min_event_time")
    public Instant minEventTime;

    @Column(name = "max_event_time")
    public Instant maxEventTime;

    @Column(name = "added_files")
    public long addedFiles;

    @Column(name = "removed_files")
    public long removedFiles;

    Snapshot toModel(String group, int version) {
        return new Snapshot(id, groupId, group, version, sequenceNumber, parentId, operation, commitId, committedAt, fileCount,
                rowCount, byteCount, minEventTime, maxEventTime, addedFiles, removedFiles);
    }
}
