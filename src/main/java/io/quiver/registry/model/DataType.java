package io.quiver.registry.model;

import java.util.EnumSet;
import java.util.Set;

import org.eclipse.microprofile.graphql.Description;

/** Physical type of a feature's values (the seeds' DataType). */
@Description("Physical type of a feature's values")
public enum DataType {
    @Description("32-bit signed integer")
    INT,
    @Description("64-bit signed integer")
    BIGINT,
    @Description("32-bit floating point")
    FLOAT,
    @Description("64-bit floating point")
    DOUBLE,
    @Description("Exact decimal with precision and scale, DECIMAL(p,s)")
    DECIMAL,
    @Description("UTF-8 text")
    STRING,
    @Description("Instant in time, UTC, microsecond precision")
    TIMESTAMP,
    @Description("Calendar day")
    DATE,
    @Description("true or false")
    BOOLEAN,
    @Description("List of one element type, ARRAY<T>")
    ARRAY,
    @Description("Key-value pairs, MAP<K,V>")
    MAP,
    @Description("Named fields, STRUCT<name:T,...>")
    STRUCT;

    private static final Set<DataType> NUMERIC = EnumSet.of(INT, BIGINT, FLOAT, DOUBLE, DECIMAL);
    private static final Set<DataType> NESTED = EnumSet.of(ARRAY, MAP, STRUCT);
    private static final Set<DataType> KEY_TYPES = EnumSet.of(INT, BIGINT, STRING);

    public boolean isNumeric() {
        return NUMERIC.contains(this);
    }

    public boolean isNested() {
        return NESTED.contains(this);
    }

    public boolean isTemporal() {
        return this == TIMESTAMP || this == DATE;
    }

    /** Types allowed for entity join keys and map keys: exact, hashable, orderable. */
    public boolean isKeyType() {
        return KEY_TYPES.contains(this);
    }
}
