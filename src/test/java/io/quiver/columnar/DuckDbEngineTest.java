package io.quiver.columnar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.Hostile;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import jakarta.inject.Inject;

/** The shared query engine: a statement past its deadline is cancelled, and a database DuckDB invalidated is replaced. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class DuckDbEngineTest {

    @Inject
    DuckDbEngine engine;

    @Test
    void aStatementPastItsDeadlineIsCancelled() throws Exception {
        try (Connection c = engine.connect(); Statement s = c.createStatement(); DuckDbEngine.Deadline d = engine.deadline(s, Duration.ofMillis(200))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> s.executeQuery("SELECT count(*) FROM range(1000000000000) a, range(10) b")).isInstanceOf(SQLException.class);
            assertThat(d.expired()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60)); // a hang detector, not a timing check
        }
    }

    @Test
    void aDatabaseInvalidatedByAnInternalErrorIsReplacedForTheNextCaller() throws Exception {
        byte[] stream = Hostile.secondsTimestampsFarOutOfRange();
        try (Connection c = engine.connect(); RootAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new java.io.ByteArrayInputStream(stream), allocator);
                ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator); Statement s = c.createStatement()) {
            Data.exportArrayStream(allocator, reader, exported);
            c.unwrap(DuckDBConnection.class).registerArrowStream("hostile", exported);
            s.execute("CREATE TEMP TABLE hostile_t AS SELECT * FROM hostile");
            // DuckDB's cast of an overflowing TIMESTAMP_S raises an internal error that invalidates the database
            assertThatThrownBy(() -> s.executeQuery("SELECT CAST(event_timestamp AS VARCHAR) FROM hostile_t"))
                    .isInstanceOf(SQLException.class);
        }
        try (Connection c = engine.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 41 + 1")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(42);
        }
    }
}
