package io.quiver.registry.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hibernate.annotations.Fetch;
import org.hibernate.annotations.FetchMode;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quiver.registry.model.ConfigKey;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupStatus;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.model.KeyValue;
import io.quiver.config.Mode;
import io.quiver.config.StorageFormat;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;
import io.quiver.json.Json;

/**
 * One version of a feature group. Collections use SUBSELECT fetching: touching them for a list of rows loaded by
 * one query costs one more query in all, never one per row.
 */
@Entity
@Table(name = "qv_feature_group")
public class FeatureGroupRow extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String name;
    public int version;
    public boolean latest;

    @ElementCollection
    @CollectionTable(name = "qv_group_entity", joinColumns = @JoinColumn(name = "group_id"))
    @OrderColumn(name = "position")
    @Column(name = "entity_name")
    @Fetch(FetchMode.SUBSELECT)
    public List<String> entityNames = new ArrayList<>();

    @Column(name = "event_ts_column")
    public String eventTimestampColumn;

    @Column(name = "event_ts_type")
    @Enumerated(EnumType.STRING)
    public DataType eventTimestampType;

    @Column(name = "created_ts_column")
    public String createdTimestampColumn;

    @Column(name = "created_ts_type")
    @Enumerated(EnumType.STRING)
    public DataType createdTimestampType;

    @Column(name = "ttl_seconds")
    public long ttlSeconds;

    /** The mode the definition set, or null to follow the global quiver.mode. */
    @Enumerated(EnumType.STRING)
    public Mode mode;

    @Column(name = "storage_format")
    @Enumerated(EnumType.STRING)
    public StorageFormat storageFormat;

    @Column(name = "storage_path")
    public String storagePath;

    /** Where this version's data files live; set once when the version is created. */
    @Column(name = "data_prefix")
    public String dataPrefix;

    @Column(name = "online_enabled")
    public boolean onlineEnabled;

    @Column(name = "offline_enabled")
    public boolean offlineEnabled;

    @Column(name = "materialization_schedule")
    public String materializationSchedule;

    public String description;
    public String owner;

    @Enumerated(EnumType.STRING)
    public GroupStatus status;

    @ElementCollection
    @CollectionTable(name = "qv_group_tag", joinColumns = @JoinColumn(name = "group_id"))
    @Column(name = "tag")
    @Fetch(FetchMode.SUBSELECT)
    public Set<String> tags = new HashSet<>();

    @Convert(converter = Json.StringMapConverter.class)
    public Map<String, String> metadata;

    /**
     * The group layer of settings: only what the definition gave explicitly, keyed by {@link ConfigKey#key()};
     * mode lives in its own column so listings can filter on it.
     */
    @Convert(converter = Json.StringMapConverter.class)
    public Map<String, String> config;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "last_data_update_at")
    public Instant lastDataUpdateAt;

    /** A virtual group's query (sql, parameters, per-feature source); null for groups that only store their rows. */
    @Column(name = "query_template")
    @Convert(converter = QueryTemplateConverter.class)
    public QueryTemplateConverter.Stored queryTemplate;

    @ElementCollection
    @CollectionTable(name = "qv_group_source", joinColumns = @JoinColumn(name = "group_id"))
    @Column(name = "source_name")
    @Fetch(FetchMode.SUBSELECT)
    public Set<String> templateSources = new HashSet<>();

    /** Head of the offline store: the snapshot readers see. Moved only by {@code SnapshotLog}'s compare-and-set. */
    @Column(name = "current_snapshot_id")
    public Long currentSnapshotId;

    public FeatureGroup toModel(Map<String, EntityRow> entitiesByName) {
        List<JoinKey> keys = new ArrayList<>();
        for (String entity : entityNames) {
            EntityRow row = entitiesByName.get(entity);
            if (row != null) {
                keys.addAll(row.joinKeys);
            }
        }
        Map<ConfigKey, String> overrides = configOverrides(config);
        if (mode != null) {
            overrides.put(ConfigKey.MODE, mode.name());
        }
        return new FeatureGroup(id, name, version, latest, entityNames, keys, eventTimestampColumn, eventTimestampType,
                createdTimestampColumn, createdTimestampType, ttlSeconds,
                mode, storageFormat, storagePath, dataPrefix, onlineEnabled,
                offlineEnabled, materializationSchedule, description, owner, tags.stream().sorted().toList(),
                metadata.entrySet().stream().map(e -> new KeyValue(e.getKey(), e.getValue())).toList(), status,
                overrides, createdAt, updatedAt, lastDataUpdateAt,
                queryTemplate == null ? null : queryTemplate.toModel(templateSources.stream().sorted().toList()));
    }

    static Map<ConfigKey, String> configOverrides(Map<String, String> stored) {
        Map<ConfigKey, String> out = new EnumMap<>(ConfigKey.class);
        stored.forEach((k, v) -> ConfigKey.byKey(k).ifPresent(key -> out.put(key, v)));
        return out;
    }
}
