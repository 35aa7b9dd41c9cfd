package io.quiver.virtual;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.connect.SparkSession;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import io.quiver.columnar.DuckDbTypes;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/**
 * Brings a Spark answer into DuckDB. Spark sends each column in a text form both engines read the same way (times as
 * ISO text with microseconds and offset, arrays and maps as JSON, bytes as base64, the rest as Spark's canonical
 * text); the rows stream back over Spark Connect (Arrow batches) into a VARCHAR table of the given connection, and
 * {@link Fetched#select} casts them to the stored types. Exact for the types {@link SparkTypes} carries: doubles
 * print as the shortest text that reads back to the same value, times with microseconds, nested ones too.
 */
final class SparkAnswers {

    static final String ALIAS = "__quiver_a";

    private SparkAnswers() {
    }

    /** Rows fetched into {@code raw}; {@link #select} reads them typed. Drop with {@link #drop}. */
    record Fetched(String raw, String select, long rows) {

        void drop(Connection c) {
            try (Statement st = c.createStatement()) {
                st.execute("DROP TABLE IF EXISTS " + raw);
            } catch (SQLException e) {
                // a table left in a connection that is about to close holds nothing anyone reads
            }
        }
    }

    /**
     * Runs {@code sql} (whose output has every column of {@code columns}, by name) on Spark and appends its rows to a
     * new table of {@code c}.
     *
     * @param order Spark ORDER BY items over the query's output (as {@code __quiver_a.`name`}), or none
     * @param limit rows at most
     * @param cut keep the first {@code limit} rows (a query's LIMIT); otherwise more rows fail with REQUEST_TOO_LARGE
     */
    static Fetched fetch(SparkSession s, String sql, Map<String, Object> params, List<QueryExecutor.Column> columns, List<String> order,
            Connection c, long limit, boolean cut) throws SQLException {
        List<String> transport = new ArrayList<>();
        List<String> back = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            QueryExecutor.Column col = columns.get(i);
            String type = col.type().toUpperCase(Locale.ROOT);
            String value = "CAST(" + ALIAS + "." + SparkQueryExecutor.quote(col.name()) + " AS " + SparkTypes.toSpark(col.type()) + ")";
            String raw = "c" + i;
            String cast;
            if (type.equals("TIMESTAMPTZ") || type.equals("TIMESTAMP WITH TIME ZONE")) {
                transport.add("date_format(" + value + ", 'yyyy-MM-dd HH:mm:ss.SSSSSSxxx')");
                cast = "CAST(" + raw + " AS TIMESTAMPTZ)";
            } else if (type.equals("TIMESTAMP")) {
                transport.add("date_format(" + value + ", 'yyyy-MM-dd HH:mm:ss.SSSSSS')");
                cast = "CAST(" + raw + " AS TIMESTAMP)";
            } else if (type.endsWith("[]") || type.startsWith("MAP(") || type.startsWith("STRUCT(")) {
                // nested times keep their microseconds and offset (to_json's default format stops at milliseconds)
                transport.add("to_json(" + value + ", map('timestampFormat', 'yyyy-MM-dd HH:mm:ss.SSSSSSxxx', "
                        + "'timestampNTZFormat', 'yyyy-MM-dd HH:mm:ss.SSSSSS'))");
                cast = "CAST(CAST(" + raw + " AS JSON) AS " + col.type() + ")";
            } else if (type.equals("BLOB")) {
                transport.add("base64(" + value + ")");
                cast = "from_base64(" + raw + ")";
            } else {
                transport.add("CAST(" + value + " AS STRING)");
                cast = "CAST(" + raw + " AS " + col.type() + ")";
            }
            back.add(cast + " AS " + DuckDbTypes.quoteAny(col.name()));
        }
        String query = "SELECT " + String.join(", ", transport) + " FROM (" + sql + ") AS " + ALIAS
                + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order))
                // only a query's own LIMIT goes to Spark: an ORDER BY with a LIMIT becomes a top-k that allocates the limit
                // (a bound of 100 M rows ran a 2 GB server out of heap); a bound is counted here, and passing it stops
                // the query on the server
                + (cut ? " LIMIT " + Math.min(limit, Integer.MAX_VALUE) : "");
        String raw = "__quiver_spark_" + UUID.randomUUID().toString().replace("-", "");
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE " + raw + " (" + IntStream.range(0, columns.size()).mapToObj(i -> "c" + i + " VARCHAR")
                    .collect(Collectors.joining(", ")) + ")");
        }
        Fetched fetched = new Fetched(raw, "SELECT " + String.join(", ", back) + " FROM " + raw, 0);
        long rows = 0;
        try (DuckDBAppender appender = c.unwrap(DuckDBConnection.class).createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, raw)) {
            Iterator<Row> it = s.sql(query, params).toLocalIterator();
            while (it.hasNext()) {
                Row r = it.next();
                if (++rows > limit) {
                    throw new QuiverException(ErrorCode.REQUEST_TOO_LARGE, "the Spark answer has more than " + limit + " rows "
                            + "(quiver.spark.max-result-rows); narrow the work");
                }
                appender.beginRow();
                for (int i = 0; i < columns.size(); i++) {
                    if (r.isNullAt(i)) {
                        appender.appendNull();
                    } else {
                        appender.append(r.getString(i));
                    }
                }
                appender.endRow();
            }
        } catch (RuntimeException | SQLException e) {
            fetched.drop(c);
            throw e;
        }
        return new Fetched(raw, fetched.select(), rows);
    }
}
