package io.quiver.virtual;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quiver.error.QuiverException;

/** Spark's spelling of Quiver's stored types and back, the connection string and error messages: pure logic. */
class SparkTypesTest {

    @Test
    void storedTypesHaveSparkCounterpartsAndBack() {
        assertThat(SparkTypes.toSpark("BIGINT")).isEqualTo("BIGINT");
        assertThat(SparkTypes.toSpark("TIMESTAMPTZ")).isEqualTo("TIMESTAMP");
        assertThat(SparkTypes.toSpark("TIMESTAMP WITH TIME ZONE")).isEqualTo("TIMESTAMP");
        assertThat(SparkTypes.toSpark("TIMESTAMP")).isEqualTo("TIMESTAMP_NTZ");
        assertThat(SparkTypes.toSpark("VARCHAR")).isEqualTo("STRING");
        assertThat(SparkTypes.toSpark("DECIMAL(18, 4)")).isEqualTo("DECIMAL(18,4)");
        assertThat(SparkTypes.toSpark("DOUBLE[][]")).isEqualTo("ARRAY<ARRAY<DOUBLE>>");
        assertThat(SparkTypes.toSpark("MAP(VARCHAR, DECIMAL(10,2)[])")).isEqualTo("MAP<STRING,ARRAY<DECIMAL(10,2)>>");
        assertThat(SparkTypes.toSpark("STRUCT(\"Score\" DOUBLE, \"tags\" VARCHAR[], \"at\" TIMESTAMPTZ)"))
                .isEqualTo("STRUCT<`Score`: DOUBLE, `tags`: ARRAY<STRING>, `at`: TIMESTAMP>");
        assertThat(SparkTypes.toDuckDb("TIMESTAMP")).isEqualTo("TIMESTAMP WITH TIME ZONE");
        assertThat(SparkTypes.toDuckDb("ARRAY<INT>")).isEqualTo("INTEGER[]");
        assertThat(SparkTypes.toDuckDb("MAP<STRING, BIGINT>")).isEqualTo("MAP(VARCHAR, BIGINT)");
        assertThat(SparkTypes.toDuckDb("DECIMAL(10, 2)")).isEqualTo("DECIMAL(10,2)");
    }

    @Test
    void aTypeWithoutACounterpartIsNamedInTheError() {
        assertThat(SparkTypes.carries("UUID")).isFalse();
        assertThat(SparkTypes.carries("BIGINT[]")).isTrue();
        assertThatThrownBy(() -> SparkTypes.toSpark("INTERVAL")).isInstanceOf(QuiverException.class).hasMessageContaining("INTERVAL")
                .hasMessageContaining("run the group on DuckDB");
    }

    @Test
    void aTokenFollowsTheSlashOfTheConnectionString() {
        assertThat(SparkEngine.connectionString("sc://spark:15002", null)).isEqualTo("sc://spark:15002");
        assertThat(SparkEngine.connectionString("sc://spark:15002", "t0k")).isEqualTo("sc://spark:15002/;token=t0k");
        assertThat(SparkEngine.connectionString("sc://spark:15002/;user_id=q", "t0k")).isEqualTo("sc://spark:15002/;user_id=q;token=t0k");
        assertThat(SparkEngine.connectionString("sc://spark:15002;use_ssl=true", "t0k")).isEqualTo("sc://spark:15002/;use_ssl=true;token=t0k");
        assertThatThrownBy(() -> SparkEngine.connectionString("http://spark:15002", null)).hasMessageContaining("sc://host:15002");
    }

    @Test
    void errorsKeepSparksWordsButNotPathsHostsOrTokens() {
        String m = SparkEngine.message(new RuntimeException("[PATH_NOT_FOUND] Path does not exist: s3a://bucket/lake/x.parquet; "
                + "reading file:/tmp/quiver/cache/ab.parquet from spark-connect.internal:15002 (10.1.2.3:15002) with token=secret "
                + "in view __quiver_abc_0 at 2026-01-05T00:00:00Z\nat org.apache.Foo"));
        assertThat(m).startsWith("[PATH_NOT_FOUND] Path does not exist: <location>").contains("2026-01-05T00:00:00Z")
                .doesNotContain("bucket", "/tmp", "spark-connect.internal", "10.1.2.3", "secret", "__quiver", "org.apache");
    }

    @Test
    void sparkOutputFilesAreInWriteOrderByTheirNumbersNotTheirText() {
        List<String> names = List.of("part-100000-u-c000.zstd.parquet", "part-99999-u-c000.zstd.parquet", "part-00001-u-c1000.zstd.parquet",
                "part-00001-u-c999.zstd.parquet", "part-00000-u-c000.zstd.parquet");
        List<String> sorted = names.stream().map(n -> new io.quiver.offline.ExternalWrite.File(n, 1, 1, null, null, null, null))
                .sorted(SparkQueryExecutor.WRITE_ORDER).map(io.quiver.offline.ExternalWrite.File::name).toList();
        assertThat(sorted).containsExactly("part-00000-u-c000.zstd.parquet", "part-00001-u-c999.zstd.parquet", "part-00001-u-c1000.zstd.parquet",
                "part-99999-u-c000.zstd.parquet", "part-100000-u-c000.zstd.parquet");
    }
}
