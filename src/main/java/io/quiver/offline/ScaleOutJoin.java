package io.quiver.offline;

import java.sql.Connection;
import java.util.List;

import io.quiver.registry.model.Feature;
import io.quiver.registry.model.GroupSchema;

/**
 * A distributed engine a point-in-time join can be handed to (the Spark Connect executor implements it, above this
 * layer). Its answer must equal {@link PointInTimeJoin}'s row for row: same match, same tie-breakers, same TTL.
 */
public interface ScaleOutJoin {

    /** Where a training set may run. */
    enum Engine {
        /** Decided by the rule: groups' {@code query_executor_type} and the work's size. */
        AUTO,
        /** This node's DuckDB. */
        DUCKDB,
        /** The Spark Connect server. */
        SPARK
    }

    /** Where a join runs and why, in a sentence (an answer's metadata shows both). */
    record Route(Engine engine, String reason) {
    }

    /**
     * One group of the join.
     *
     * @param files the addresses of its snapshot's data files ({@code s3a://} objects or {@code file:} local copies,
     *        see {@link #readsLake}), in snapshot order: the write order breaks ties
     */
    record Group(GroupSchema schema, List<Feature> features, List<String> outputNames, List<String> files) {
    }

    /**
     * Whether the engine reads the object store itself: then it is given objects' addresses ({@code ObjectStore.uri})
     * and nothing is fetched for it, and files only this node has are staged in the object store for the request.
     * Otherwise it is given local copies' paths.
     */
    boolean readsLake();

    /**
     * Where a training set runs.
     *
     * @param entityRows rows of its entity table
     * @param storedRows rows of the stored groups' snapshots it reads (computed groups' rows are not known before)
     * @param asked the caller's choice; SPARK without a configured server is refused
     */
    Route route(List<GroupSchema> groups, long entityRows, long storedRows, Engine asked);

    /**
     * Joins the entity rows of {@code entities} (the address of a Parquet file: {@code __row}, {@code __key_<name>}, {@code __ts}) over the
     * groups and creates the TEMP table {@code table} on {@code c}: {@code __row}, then each output column typed as its
     * feature, one row per entity row (nulls where nothing matches).
     *
     * @return rows of {@code table}
     */
    long join(List<Group> groups, String entities, Connection c, String table);
}
