package io.quiver.virtual;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.sql.connect.SparkSession;
import org.apache.spark.sql.util.CloseableIterator;
import org.duckdb.DuckDBConnection;

import io.quiver.columnar.DuckDbTypes;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;

/**
 * Brings a Spark answer into DuckDB as Arrow: Spark casts each column to the Spark spelling of its stored type and
 * sends the rows as Arrow batches (the Spark Connect protocol); {@link SparkArrowReader} hands them to DuckDB through
 * the C data interface as they arrive, and DuckDB casts them into a table of the stored types. Values keep their
 * types on the way (instants as microseconds, decimals as decimals, nested values as Arrow lists, maps and structs),
 * so the answer is exact for the types {@link SparkTypes} carries. The client's public API gives rows, not Arrow: the
 * answer is read through its execute call on the session's plan (Spark 4.2's client, pinned in the pom).
 */
final class SparkAnswers {

    static final String ALIAS = "__quiver_a";
    /** Most bytes the batches being read may hold at once (Spark sends batches of at most 4 MiB by default). */
    private static final long ARROW_BYTES = 1L << 30;

    private SparkAnswers() {
    }

    /** Rows fetched into {@code raw}; {@link #select} reads them under their names. Drop with {@link #drop}. */
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
     * Runs {@code sql} (whose output has every column of {@code columns}, by name) on Spark and inserts its rows into
     * a new table of {@code c}, typed as the columns.
     *
     * @param order Spark ORDER BY items over the query's output (as {@code __quiver_a.`name`}), or none
     * @param limit rows at most
     * @param cut keep the first {@code limit} rows (a query's LIMIT); otherwise more rows fail with REQUEST_TOO_LARGE
     */
    static Fetched fetch(SparkSession s, String sql, Map<String, Object> params, List<QueryExecutor.Column> columns, List<String> order,
            Connection c, long limit, boolean cut) throws SQLException {
        List<String> transport = new ArrayList<>();
        List<String> typed = new ArrayList<>();
        List<String> back = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            QueryExecutor.Column col = columns.get(i);
            transport.add("CAST(" + ALIAS + "." + SparkQueryExecutor.quote(col.name()) + " AS " + SparkTypes.toSpark(col.type()) + ") AS c" + i);
            typed.add("c" + i + " " + col.type());
            back.add("c" + i + " AS " + DuckDbTypes.quoteAny(col.name()));
        }
        String query = "SELECT " + String.join(", ", transport) + " FROM (" + sql + ") AS " + ALIAS
                + (order.isEmpty() ? "" : " ORDER BY " + String.join(", ", order))
                // only a query's own LIMIT goes to Spark: an ORDER BY with a LIMIT becomes a top-k that allocates the limit
                // (a bound of 100 M rows ran a 2 GB server out of heap); a bound is counted here, and passing it stops
                // the query on the server
                + (cut ? " LIMIT " + Math.min(limit, Integer.MAX_VALUE) : "");
        String raw = "__quiver_spark_" + UUID.randomUUID().toString().replace("-", "");
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE " + raw + " (" + String.join(", ", typed) + ")");
        }
        Fetched fetched = new Fetched(raw, "SELECT " + String.join(", ", back) + " FROM " + raw, 0);
        SparkArrowReader reader = null;
        try (CloseableIterator<ExecutePlanResponse> responses = s.client().execute(s.sql(query, params).plan(), scala.Option.empty());
                BufferAllocator allocator = new RootAllocator(ARROW_BYTES);
                SparkArrowReader answer = new SparkArrowReader(responses.asJava(), allocator, cut ? Long.MAX_VALUE : limit);
                ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            reader = answer;
            Data.exportArrayStream(allocator, answer, stream);
            String name = raw + "_arrow";
            // the name stays registered on the connection (DuckDB's JDBC driver has no way to drop it); nothing reads it again
            c.unwrap(DuckDBConnection.class).registerArrowStream(name, stream);
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO " + raw + " SELECT " + IntStream.range(0, columns.size()).mapToObj(i -> "CAST(c" + i + " AS "
                        + columns.get(i).type() + ")").collect(Collectors.joining(", ")) + " FROM " + name);
            }
            return new Fetched(raw, fetched.select(), answer.rows());
        } catch (SQLException | RuntimeException e) {
            fetched.drop(c);
            if (reader != null && reader.failure() != null) {
                throw reader.failure();
            }
            if (reader != null && reader.sparkFailure() != null) {
                throw reader.sparkFailure(); // Spark's own error, for SparkEngine.run to report (timeout, lost session, cleaned message)
            }
            throw e;
        } catch (Exception e) { // closing the response iterator declares Exception
            fetched.drop(c);
            throw new QuiverException(ErrorCode.VIRTUALIZATION_QUERY_FAILED, "the Spark answer could not be read ("
                    + SparkEngine.message(e) + ")", e);
        }
    }
}
