package io.quiver.registry.spec;

import java.util.List;

import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

import io.quiver.config.Mode;
import io.quiver.config.StorageFormat;

@Input("FeatureGroupInput")
@Description("A feature group definition. Registering is declarative: the server compares it with the latest version "
        + "and returns it unchanged, updates it in place (compatible change) or creates the next version (breaking change).")
public record FeatureGroupSpec(
        @Description("Group name, matching [a-z][a-z0-9_]{0,62}") String name,
        @Description("Entities keying the group; their join keys become its key columns") List<String> entities,
        @Description("Event time column; default event_timestamp") String eventTimestampColumn,
        @Description("TIMESTAMP (default) or DATE") String eventTimestampType,
        @Description("Optional created time column, breaks event-time ties") String createdTimestampColumn,
        @Description("TIMESTAMP (default) or DATE") String createdTimestampType,
        @Description("Seconds after which a value is out of date; 0 (default) means never") Long ttlSeconds,
        @Description("Serving mode; the global quiver.mode when omitted") Mode mode,
        @Description("Snapshot format; only PARQUET is supported") StorageFormat storageFormat,
        @Description("Base path of the group's data; <quiver.storage-path>/<name> when omitted") String storagePath,
        @Description("Keep latest values online; default true") Boolean onlineEnabled,
        @Description("Keep history offline; default true") Boolean offlineEnabled,
        @Description("Quartz cron (e.g. '0 0/15 * * * ?') for incremental materialization into the online store; none by default")
        String materializationSchedule,
        @Description("What the group holds") String description,
        @Description("Team or person answering for the group") String owner,
        @Description("Labels") List<String> tags,
        @Description("Free-form metadata") List<MetadataSpec> metadata,
        @Description("Group-level setting overrides (other than mode, storage path and format, which have fields)")
        List<SettingSpec> config,
        @Description("The group's features; at least one") List<FeatureSpec> features,
        @Description("VIRTUALIZED and HYBRID groups: one read-only SELECT over registered data sources ({{layer.name}}) "
                + "whose columns are the entity keys, the event timestamp (and created timestamp) and the features; named "
                + "parameters (:name) are bound, never spliced") String queryTemplate,
        @Description("The template's parameters with their defaults") List<TemplateParameterSpec> parameters,
        @Description("Instead of a template: the one data source ({{layer.name}} or name) that per-feature expressions read; "
                + "keys and timestamps are its columns of those names") String source) {
}
