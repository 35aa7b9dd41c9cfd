package io.quiver.error;

import org.eclipse.microprofile.graphql.Description;

/**
 * Every rule a request can break, named once (like Trino's error-code enums): each {@link Violation} carries one.
 * The names are part of the API: never renamed, only added. docs/architecture.md lists them (a test checks the list).
 */
@Description("A rule a request can break; each violation names one")
public enum ValidationRule {
    // names and text
    @Description("A name does not match [a-z][a-z0-9_]{0,62}")
    NAME_PATTERN,
    @Description("A tag does not match [a-z0-9][a-z0-9_:.=-]{0,62}")
    TAG_PATTERN,
    @Description("A dataset name is not dot-separated names")
    DATASET_NAME,
    @Description("A name the engine uses for its own columns")
    RESERVED_NAME,
    @Description("A text is longer than its limit")
    TOO_LONG,
    @Description("A required value is missing")
    REQUIRED,
    @Description("A list that needs entries is empty")
    EMPTY,
    // definitions
    @Description("An entity or group is given twice in one request")
    DUPLICATE_ENTITY,
    @Description("A group is given twice in one request")
    DUPLICATE_GROUP,
    @Description("A feature is given twice in one group")
    DUPLICATE_FEATURE,
    @Description("A join key is given twice")
    DUPLICATE_KEY,
    @Description("A value is given twice in a list of allowed values")
    DUPLICATE_VALUE,
    @Description("A setting is given twice")
    DUPLICATE_SETTING,
    @Description("An entity is registered again with other join keys (they never change)")
    KEYS_CHANGED,
    @Description("An entity has no join keys")
    EMPTY_KEYS,
    @Description("A join key type is not INT, BIGINT or STRING")
    KEY_TYPE,
    @Description("An entity named by a group is not registered")
    UNKNOWN_ENTITY,
    @Description("Two entities of a group share a join key name")
    KEY_COLLISION,
    @Description("A column name is used twice (key, timestamp, feature, or an entity row column named like a feature)")
    COLUMN_COLLISION,
    @Description("An event or created timestamp column is not a TIMESTAMP or DATE")
    TIMESTAMP_TYPE,
    @Description("A TTL is negative")
    NEGATIVE_TTL,
    @Description("A storage format other than PARQUET")
    UNSUPPORTED_FORMAT,
    @Description("A type expression does not parse")
    UNKNOWN_TYPE,
    @Description("A feature type does not fit the data type")
    INCONSISTENT_TYPE,
    @Description("min is above max")
    RANGE,
    @Description("A default or allowed value is not of the feature's type")
    VALUE_TYPE,
    @Description("A lineage reference is not group.feature")
    REFERENCE_SYNTAX,
    @Description("A referenced feature does not exist")
    UNKNOWN_FEATURE,
    @Description("Two feature services in one request share a name")
    DUPLICATE_SERVICE,
    @Description("A feature names itself as its lineage source")
    SELF_LINEAGE,
    @Description("A setting key is not known")
    UNKNOWN_SETTING,
    @Description("A setting is given in config that has a field of its own")
    USE_FIELD,
    @Description("A setting may not be overridden at this layer")
    NOT_OVERRIDABLE,
    @Description("A setting value does not fit its key")
    SETTING_VALUE,
    @Description("A group has no features")
    NO_FEATURES,
    @Description("A materialization schedule is not a Quartz cron expression")
    CRON,
    @Description("A query template or source is missing, misplaced, does not parse, or is not one read-only SELECT")
    QUERY_TEMPLATE,
    @Description("A query template does what templates may not: read files, tables or settings, call a table function")
    FORBIDDEN_SQL,
    @Description("A query template reads a data source that is not registered")
    UNKNOWN_SOURCE,
    @Description("A query template's output lacks a column the group needs, or gives it a type that does not fit")
    TEMPLATE_COLUMN,
    @Description("A template parameter is undeclared, unused, declared twice, not scalar, or has no default")
    TEMPLATE_PARAMETER,
    @Description("A data source location is not a relative key prefix or glob, or holds no file of its format")
    SOURCE_LOCATION,
    // data
    @Description("A value or column is not of the expected type, or cannot convert to it exactly")
    TYPE,
    @Description("A value lies outside the feature's min/max or its type's range")
    OUT_OF_RANGE,
    @Description("A value is not one of the feature's allowed values")
    NOT_ALLOWED,
    @Description("A non-nullable feature is null and has no default")
    NOT_NULLABLE,
    @Description("A row or entity lacks a join key")
    MISSING_KEY,
    @Description("A row lacks its event timestamp")
    MISSING_TIMESTAMP,
    @Description("An upload lacks a column the schema needs")
    MISSING_COLUMN,
    @Description("A column is not part of the schema")
    UNKNOWN_COLUMN,
    @Description("A STRUCT value has a field its type does not declare")
    UNKNOWN_FIELD,
    @Description("A backfill row lies outside the backfill range")
    OUTSIDE_BACKFILL_RANGE
}
