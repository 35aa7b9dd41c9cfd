package io.quiver.offline;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One data file of a group version and the part of the chain it is live in: from the snapshot with sequence number
 * {@code addedSeq} up to, not including, {@code removedSeq} (null: still live).
 */
@Entity
@Table(name = "qv_data_file")
public class DataFileRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "group_id")
    public long groupId;

    @Column(name = "object_key")
    public String objectKey;

    @Column(name = "row_count")
    public long rowCount;

    @Column(name = "byte_count")
    public long byteCount;

    @Column(name = "min_event_time")
    public Instant minEventTime;

    @Column(name = "max_event_time")
    public Instant maxEventTime;

    @Column(name = "min_key")
    public String minKey;

    @Column(name = "max_key")
    public String maxKey;

    @Column(name = "write_order")
    public long writeOrder;

    @Column(name = "added_seq")
    public long addedSeq;

    @Column(name = "removed_seq")
    public Long removedSeq;

    SnapshotFile toModel() {
        return new SnapshotFile(objectKey, rowCount, byteCount, minEventTime, maxEventTime, minKey, maxKey);
    }
}
