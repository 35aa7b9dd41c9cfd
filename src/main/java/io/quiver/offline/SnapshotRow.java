package io.quiver.offline;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quiver.registry.persistence.Json;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

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

    @Enumerated(EnumType.STRING)
    public SnapshotOperation operation;

    /** The file list as JSON. */
    public String files;

    @Column(name = "committed_at")
    public Instant committedAt;

    Snapshot toModel(String group, int version) {
        List<SnapshotFile> list = Json.read(files, new TypeReference<List<SnapshotFile>>() {
        });
        return new Snapshot(id, group, version, parentId, operation, list, committedAt);
    }
}
