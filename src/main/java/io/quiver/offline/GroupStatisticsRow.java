package io.quiver.offline;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "qv_group_statistics")
public class GroupStatisticsRow extends PanacheEntityBase {

    @Id
    @Column(name = "group_id")
    public Long groupId;

    @Column(name = "snapshot_id")
    public Long snapshotId;

    @Column(name = "row_count")
    public long rowCount;

    /** Per-feature statistics as JSON. */
    public String features;

    @Column(name = "computed_at")
    public Instant computedAt;
}
