package io.quiver.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import io.quiver.support.PostgresTestDatabase;

/**
 * Snapshots written in the first layout (a full file list per snapshot) survive the move to manifest rows: a real
 * PostgreSQL database of its own is migrated to V4, given a chain of append, backfill (a file rewritten in place),
 * compaction and a snapshot off the chain, then migrated to the latest version.
 */
class LegacySnapshotMigrationTest {

    private static final String DB = "quiver_migration_test";

    private static String file(String key, long rows) {
        return "{\"key\":\"" + key + "\",\"rows\":" + rows + ",\"bytes\":" + rows * 10
                + ",\"minEventTime\":\"2026-01-01T00:00:00Z\",\"maxEventTime\":\"2026-01-0" + rows + "T00:00:00Z\"}";
    }

    @Test
    void legacyChainsBecomeManifestRowsWithTheSameLiveFilesInTheSameOrder() throws SQLException {
        String url = PostgresTestDatabase.createDatabase(DB);
        Flyway.configure().dataSource(url, PostgresTestDatabase.user(), PostgresTestDatabase.password()).target("4").load().migrate();
        try (Connection c = DriverManager.getConnection(url, PostgresTestDatabase.user(), PostgresTestDatabase.password());
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO qv_feature_group (id, name, version, latest, event_ts_column, event_ts_type, ttl_seconds, "
                    + "storage_format, storage_path, online_enabled, offline_enabled, status, metadata, config, created_at, updated_at) "
                    + "VALUES (1, 'legacy', 1, true, 'ts', 'TIMESTAMP', 0, 'PARQUET', 'data/feature_store/legacy', true, true, 'ACTIVE', "
                    + "'{}', '{}', now(), now())");
            String a = file("groups/legacy/v1/data/a.parquet", 1);
            String b = file("groups/legacy/v1/data/b.parquet", 2);
            String c2 = file("groups/legacy/v1/data/c.parquet", 3);
            String bRewritten = file("groups/legacy/v1/data/b2.parquet", 1);
            String d = file("groups/legacy/v1/data/d.parquet", 4);
            insert(s, 10, null, "APPEND", "[" + a + "]");
            insert(s, 11, 10L, "APPEND", "[" + a + "," + b + "]");
            insert(s, 12, 11L, "APPEND", "[" + a + "," + b + "," + c2 + "]");
            insert(s, 13, 11L, "APPEND", "[" + a + "," + b + "," + file("groups/legacy/v1/data/lost.parquet", 1) + "]"); // off the chain
            insert(s, 14, 12L, "BACKFILL", "[" + a + "," + bRewritten + "," + c2 + "," + d + "]");
            insert(s, 15, 14L, "COMPACT", "[" + file("groups/legacy/v1/data/all.parquet", 8) + "]");
            s.execute("UPDATE qv_feature_group SET current_snapshot_id = 15 WHERE id = 1");
        }

        Flyway.configure().dataSource(url, PostgresTestDatabase.user(), PostgresTestDatabase.password()).load().migrate();

        try (Connection c = DriverManager.getConnection(url, PostgresTestDatabase.user(), PostgresTestDatabase.password());
                Statement s = c.createStatement()) {
            assertThat(rows(s, "SELECT id, sequence_number, file_count, row_count, added_files, removed_files FROM qv_snapshot ORDER BY id"))
                    .containsExactly("10 1 1 1 1 0", "11 2 2 3 1 0", "12 3 3 6 1 0", "14 4 4 9 2 1", "15 5 1 8 1 4");
            // live files of each snapshot, in write order, as the old lists had them
            assertThat(live(s, 3)).containsExactly("a", "b", "c");
            assertThat(live(s, 4)).containsExactly("a", "b2", "c", "d");
            assertThat(live(s, 5)).containsExactly("all");
            assertThat(rows(s, "SELECT data_prefix FROM qv_feature_group")).containsExactly("groups/legacy/v1/data/");
            assertThat(rows(s, "SELECT count(*) FROM qv_data_file WHERE object_key LIKE '%lost%'")).containsExactly("0");
        }
    }

    private static void insert(Statement s, long id, Long parent, String op, String files) throws SQLException {
        s.execute("INSERT INTO qv_snapshot (id, group_id, parent_id, operation, files, committed_at) VALUES (" + id + ", 1, "
                + parent + ", '" + op + "', '" + files + "', now())");
    }

    private static List<String> live(Statement s, long seq) throws SQLException {
        List<String> keys = rows(s, "SELECT object_key FROM qv_data_file WHERE added_seq <= " + seq + " AND (removed_seq IS NULL OR removed_seq > "
                + seq + ") ORDER BY write_order");
        return keys.stream().map(k -> k.substring(k.lastIndexOf('/') + 1).replace(".parquet", "")).toList();
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> cols = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    cols.add(r.getString(i));
                }
                out.add(String.join(" ", cols));
            }
        }
        return out;
    }
}
