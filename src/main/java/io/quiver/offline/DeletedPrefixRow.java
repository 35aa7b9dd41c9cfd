package io.quiver.offline;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The data prefix of a deleted group version (see {@link DeletedPrefixes}). */
@Entity
@Table(name = "qv_deleted_prefix")
public class DeletedPrefixRow extends PanacheEntityBase {

    @Id
    @Column(name = "data_prefix")
    public String dataPrefix;

    @Column(name = "deleted_at")
    public Instant deletedAt;
}
