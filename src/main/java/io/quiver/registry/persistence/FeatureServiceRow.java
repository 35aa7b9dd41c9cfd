package io.quiver.registry.persistence;

import java.time.Instant;
import java.util.List;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quiver.json.Json;
import io.quiver.registry.model.FeatureService;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "qv_feature_service")
public class FeatureServiceRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;

    public int version;

    public boolean latest;

    public String description;

    public String owner;

    @Convert(converter = Json.StringListConverter.class)
    public List<String> tags;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    FeatureService toModel(List<String> entries) {
        return new FeatureService(id, name, version, latest, description, owner, tags, entries, createdAt, updatedAt);
    }
}
