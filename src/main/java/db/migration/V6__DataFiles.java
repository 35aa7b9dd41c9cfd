package db.migration;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Converts snapshots of the first layout (each with its complete file list as JSON) into the manifest layout of V5:
 * sequence numbers along each group version's chain, totals per snapshot, and one {@code qv_data_file} row per file
 * with the snapshot that added it and the one that removed it. Rows off the head's chain (none are ever committed)
 * are dropped. A file's write order is its position in the lists: files keep their order, a file that takes the
 * place of a removed one (a backfill rewrite) inherits that one's order, other new files follow the last one.
 */
public class V6__DataFiles extends BaseJavaMigration {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Room between orders, so that inherited and appended orders never collide. */
    private static final long STEP = 1L << 20;

    private record LegacyFile(String key, long rows, long bytes, Instant min, Instant max) {
    }

    private record Row(long id, Long parent, String files, Timestamp committed) {
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        List<long[]> heads = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, current_snapshot_id FROM qv_feature_group WHERE current_snapshot_id IS NOT NULL");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                heads.add(new long[] {r.getLong(1), r.getLong(2)});
            }
        }
        for (long[] head : heads) {
            convert(c, head[0], head[1]);
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM qv_snapshot WHERE sequence_number IS NULL")) {
            s.executeUpdate();
        }
    }

    private static void convert(Connection c, long group, long head) throws SQLException {
        Map<Long, Row> byId = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, parent_id, files, committed_at FROM qv_snapshot WHERE group_id = ?")) {
            s.setLong(1, group);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long parent = r.getLong(2);
                    byId.put(r.getLong(1), new Row(r.getLong(1), r.wasNull() ? null : parent, r.getString(3), r.getTimestamp(4)));
                }
            }
        }
        List<Row> chain = new ArrayList<>();
        for (Long id = head; id != null && byId.containsKey(id); id = byId.get(id).parent()) {
            chain.add(0, byId.get(id));
        }
        Map<String, Long> live = new LinkedHashMap<>();
        long seq = 0;
        for (Row row : chain) {
            seq++;
            List<LegacyFile> files = parse(row.files());
            List<String> previous = new ArrayList<>(live.keySet());
            Map<String, Long> next = new LinkedHashMap<>();
            long last = Long.MIN_VALUE;
            int added = 0;
            for (int i = 0; i < files.size(); i++) {
                LegacyFile f = files.get(i);
                Long order = live.get(f.key());
                if (order == null) {
                    String displaced = i < previous.size() && !containsKey(files, previous.get(i)) ? previous.get(i) : null;
                    order = displaced != null && live.get(displaced) > last ? live.get(displaced)
                            : (last == Long.MIN_VALUE ? 0 : last) + STEP;
                    insert(c, group, f, order, seq);
                    added++;
                }
                next.put(f.key(), order);
                last = Math.max(last, order);
            }
            int removed = 0;
            for (String key : previous) {
                if (!next.containsKey(key)) {
                    try (PreparedStatement s = c.prepareStatement("UPDATE qv_data_file SET removed_seq = ? WHERE group_id = ? AND object_key = ?")) {
                        s.setLong(1, seq);
                        s.setLong(2, group);
                        s.setString(3, key);
                        s.executeUpdate();
                    }
                    removed++;
                }
            }
            live = next;
            try (PreparedStatement s = c.prepareStatement("UPDATE qv_snapshot SET sequence_number = ?, commit_id = ?, file_count = ?, "
                    + "row_count = ?, byte_count = ?, min_event_time = ?, max_event_time = ?, added_files = ?, removed_files = ? WHERE id = ?")) {
                s.setLong(1, seq);
                s.setString(2, UUID.nameUUIDFromBytes(("legacy-snapshot-" + row.id()).getBytes(StandardCharsets.UTF_8)).toString());
                s.setLong(3, files.size());
                s.setLong(4, files.stream().mapToLong(LegacyFile::rows).sum());
                s.setLong(5, files.stream().mapToLong(LegacyFile::bytes).sum());
                s.setTimestamp(6, files.stream().map(LegacyFile::min).filter(m -> m != null).min(Instant::compareTo).map(Timestamp::from).orElse(null));
                s.setTimestamp(7, files.stream().map(LegacyFile::max).filter(m -> m != null).max(Instant::compareTo).map(Timestamp::from).orElse(null));
                s.setLong(8, added);
                s.setLong(9, removed);
                s.setLong(10, row.id());
                s.executeUpdate();
            }
        }
    }

    private static boolean containsKey(List<LegacyFile> files, String key) {
        return files.stream().anyMatch(f -> f.key().equals(key));
    }

    private static void insert(Connection c, long group, LegacyFile f, long order, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO qv_data_file (group_id, object_key, row_count, byte_count, "
                + "min_event_time, max_event_time, write_order, added_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, group);
            s.setString(2, f.key());
            s.setLong(3, f.rows());
            s.setLong(4, f.bytes());
            s.setTimestamp(5, f.min() == null ? null : Timestamp.from(f.min()));
            s.setTimestamp(6, f.max() == null ? null : Timestamp.from(f.max()));
            s.setLong(7, order);
            s.setLong(8, seq);
            s.executeUpdate();
        }
    }

    private static List<LegacyFile> parse(String text) throws SQLException {
        List<LegacyFile> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        try {
            for (JsonNode f : JSON.readTree(text)) {
                out.add(new LegacyFile(f.get("key").asText(), f.path("rows").asLong(), f.path("bytes").asLong(),
                        instant(f.get("minEventTime")), instant(f.get("maxEventTime"))));
            }
        } catch (java.io.IOException e) {
            throw new SQLException("a snapshot's file list is not valid JSON", e);
        }
        return out;
    }

    private static Instant instant(JsonNode n) {
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }
}
