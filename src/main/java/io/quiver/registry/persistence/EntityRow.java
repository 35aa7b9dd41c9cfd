package io.quiver.registry.persistence;

import java.time.Instant;
import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quiver.registry.model.EntityDefinition;
import io.quiver.registry.model.JoinKey;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "qv_entity")
public class EntityRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    @Column(name = "join_keys")
    @Convert(converter = JoinKeyListConverter.class)
    public List<JoinKey> joinKeys;

    public String description;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public EntityDefinition toDefinition() {
        return new EntityDefinition(name, joinKeys, description, createdAt, updatedAt);
    }
}
