package io.quiver.registry.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.graphql.Description;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.eclipse.microprofile.graphql.Ignore;
import io.quiver.config.Mode;
import io.quiver.config.StorageFormat;


/**
 * One version of a feature group, without its features (they load on demand, see {@link GroupSchema}).
 *
 * @param mode the mode the group set itself, or null to follow the global setting
 * @param configOverrides settings the definition gave explicitly (the group layer)
 */
@Description("One version of a feature group: features sharing entity keys, timestamps and a serving mode")
public record FeatureGroup(
        @Ignore @JsonIgnore long id,
        @Description("Group name") String name,
        @Description("Version, from 1; a breaking schema change creates the next one") int version,
        @Description("Whether this is the newest version, the one group.feature resolves to") boolean latest,
        @Description("Names of the entities whose join keys key this group") List<String> entityNames,
        @Description("The key columns: the entities' join keys, in order") List<JoinKey> entityKeys,
        @Description("Column holding each row's event time") String eventTimestampColumn,
        @Description("Type of the event time column: TIMESTAMP or DATE") DataType eventTimestampType,
        @Description("Optional column holding when each row was created; breaks event-time ties") String createdTimestampColumn,
        @Description("Type of the created time column") DataType createdTimestampType,
        @Description("Rows older than this many seconds are out of date for serving; 0 means never") long ttlSeconds,
        @Ignore Mode declaredMode,
        @Description("File format of materialized snapshots") StorageFormat storageFormat,
        @Description("Prefix in the object store under which the group's data files live (inside the configured bucket or root directory); each version has a directory of its own below it, see dataPrefix") String storagePath,
        @Description("Where this version's data files are in the object store: <storagePath>/v<version>_<token>/data/, fixed when the version was created and never shared with another version") String dataPrefix,
        @Description("Whether latest values are kept in the online store") boolean onlineEnabled,
        @Description("Whether history is kept in the offline store") boolean offlineEnabled,
        @Description("Quartz cron of scheduled incremental materialization; null when not scheduled") String materializationSchedule,
        @Description("What the group holds") String description,
        @Description("Who answers for the group (team or person)") String owner,
        @Description("Labels for search and filtering") List<String> tags,
        @Description("Free-form metadata") List<KeyValue> metadata,
        @Description("ACTIVE or DEPRECATED") GroupStatus status,
        @Ignore Map<ConfigKey, String> configOverrides,
        @Description("When this version was registered") Instant createdAt,
        @Description("When this version's definition last changed") Instant updatedAt,
        @Description("When data was last written to this version; null before any write") Instant lastDataUpdateAt,
        @Description("How a VIRTUALIZED or HYBRID group computes its rows from lake data; null for groups that only store theirs")
        QueryTemplate queryTemplate) {

    public FeatureGroup {
        requireNonNull(name, "name");
        entityNames = List.copyOf(entityNames);
        entityKeys = List.copyOf(entityKeys);
        requireNonNull(eventTimestampColumn, "eventTimestampColumn");
        requireNonNull(eventTimestampType, "eventTimestampType");
        requireNonNull(storageFormat, "storageFormat");
        requireNonNull(storagePath, "storagePath");
        requireNonNull(dataPrefix, "dataPrefix");
        tags = List.copyOf(tags);
        metadata = List.copyOf(metadata);
        requireNonNull(status, "status");
        configOverrides = Map.copyOf(configOverrides);
    }
}
