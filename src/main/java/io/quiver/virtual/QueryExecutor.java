package io.quiver.virtual;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.SourceColumn;
import io.quiver.registry.model.TemplateParameter;
import io.quiver.registry.model.TemplateSql;

/**
 * Runs query templates over local copies of lake files (what {@code query_executor_type} names; DuckDB now). An
 * executor never sees object-store keys or reads anything but the files it is given, binds every value (template
 * parameters, entity keys, time bounds), and bounds every query in time. {@code QueryExecutorContract} is the test
 * every implementation passes.
 */
public interface QueryExecutor {

    /**
     * A data source as a query sees it: its registered schema and the files the read needs, as local copies or, for
     * an engine that reads the lake itself, as their object addresses ({@code locations}, e.g. {@code s3a://...}).
     */
    record SourceInput(DataSource source, List<Path> files, List<String> locations) {

        /** Local copies only. */
        public SourceInput(DataSource source, List<Path> files) {
            this(source, files, List.of());
        }
    }

    /**
     * A template ready to run.
     *
     * @param sources the input of every source reference, keyed as the template writes it
     * @param values parameter values as normalized text (a read's own, else the declared defaults)
     */
    record Query(TemplateSql template, Map<String, SourceInput> sources, List<TemplateParameter> parameters, Map<String, String> values) {
    }

    /** What the engine sees in a template without reading a file: its output columns, or why it may not run. */
    record Description(List<SourceColumn> columns, List<String> problems) {
    }

    /** A column of a result, with the engine type it is cast to. */
    record Column(String name, String type) {
    }

    /**
     * The rows a read of a virtual group needs.
     *
     * @param columns the output, in order, each cast to its type (the group's data file layout)
     * @param keyColumns the entity key columns, in join-key order
     * @param keys typed key values to keep (Long or String, join-key order), or null for every entity
     * @param timeColumn the event timestamp column
     * @param from earliest event time kept, or null
     * @param to latest event time kept (inclusive), or null
     * @param order columns to sort by, ascending
     */
    record Shape(List<Column> columns, List<String> keyColumns, List<List<Object>> keys, String timeColumn, Instant from, Instant to,
            List<String> order) {
    }

    /** A comparison on one column of a virtual table; values as text, already checked against the column's type. */
    record Predicate(String column, String type, Operator op, List<String> values) {
    }

    /** Comparisons a virtual table query may use. */
    @org.eclipse.microprofile.graphql.Name("PredicateOp")
    @org.eclipse.microprofile.graphql.Description("A comparison of a virtual table query")
    enum Operator {
        @org.eclipse.microprofile.graphql.Description("Equal to the value")
        EQ("="),
        @org.eclipse.microprofile.graphql.Description("Not equal to the value")
        NE("<>"),
        @org.eclipse.microprofile.graphql.Description("Less than the value")
        LT("<"),
        @org.eclipse.microprofile.graphql.Description("Less than or equal to the value")
        LE("<="),
        @org.eclipse.microprofile.graphql.Description("Greater than the value")
        GT(">"),
        @org.eclipse.microprofile.graphql.Description("Greater than or equal to the value")
        GE(">="),
        @org.eclipse.microprofile.graphql.Description("Equal to one of the values")
        IN("IN"),
        @org.eclipse.microprofile.graphql.Description("Null (no value)")
        IS_NULL("IS NULL"),
        @org.eclipse.microprofile.graphql.Description("Not null")
        IS_NOT_NULL("IS NOT NULL");

        final String sql;

        Operator(String sql) {
            this.sql = sql;
        }
    }

    /** A sort key of a virtual table query. */
    record Order(String column, boolean descending) {
    }

    /** A query of a virtual table: some columns, rows where every predicate holds, sorted, at most {@code limit}. */
    record Selection(List<Column> columns, List<Predicate> predicates, List<Order> order, int limit) {
    }

    /** Output columns and sandbox problems of a template; reads no file (sources are empty relations of their schema). */
    Description describe(Query query);

    /**
     * Writes the rows of a read as one Parquet file.
     *
     * @return the number of rows written
     */
    long slice(Query query, Shape shape, Path target);

    /** Writes the rows of a virtual table query as one Parquet file; returns the number of rows. */
    long select(Query query, Selection selection, Path target);

    /** The plan the engine runs for a read ({@code analyze}: after running it, with row counts per operator). */
    String explain(Query query, Shape shape, boolean analyze);
}
