package io.quiver.offline;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.quiver.columnar.DuckDbTypes;
import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.GroupSchema;

/**
 * Reads a snapshot's data files (local copies) as one DuckDB relation with every stored column of the group
 * version, and each row's write order: its file's position in the snapshot above its row number in the file, packed
 * into one BIGINT. Among rows with equal keys, event and created time, the greatest write order is the latest write.
 * A column no file has yet (a nullable feature added to the version after they were written) reads as typed nulls.
 * The scan's own columns are named {@code __quiver_*}, which no registered name can be.
 *
 * @param relation a FROM item (a parenthesized SELECT, alias-free) over the files
 * @param writeOrder a BIGINT expression over that relation
 */
public record SnapshotScan(String relation, String writeOrder) {

    /** Rows per file stay below 2^40; file positions below 2^23. */
    private static final int ROW_BITS = 40;
    /** Up to this many files, a file's position is looked up in a list; beyond, joined (list lookups scan the list). */
    private static final int LIST_POSITION_MAX_FILES = 64;

    /** DuckDB's own column for the row number in a file; registration refuses it as a name. */
    public static final String FILE_ROW_NUMBER = "file_row_number";

    public static SnapshotScan of(Connection c, GroupSchema schema, List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a snapshot scan needs at least one file");
        }
        String list = files.stream().map(f -> DuckDbTypes.literal(f.toString())).collect(Collectors.joining(", ", "[", "]"));
        boolean several = files.size() > 1;
        String read = "read_parquet(" + list + ", file_row_number = true, union_by_name = true"
                + (several ? ", filename = '__quiver_file'" : "") + ")";
        Set<String> present = columns(c, read);
        List<String> select = new ArrayList<>();
        for (Map.Entry<String, FeatureDataType> col : ParquetFileWriter.columns(schema).entrySet()) {
            String name = DuckDbTypes.quote(col.getKey());
            select.add(present.contains(col.getKey()) ? name : "CAST(NULL AS " + DuckDbTypes.of(col.getValue()) + ") AS " + name);
        }
        select.add(FILE_ROW_NUMBER + " AS __quiver_frn");
        String from = read;
        if (several && files.size() <= LIST_POSITION_MAX_FILES) {
            select.add("list_position(" + list + ", __quiver_file) - 1 AS __quiver_fpos");
        } else if (several) {
            String positions = IntStream.range(0, files.size())
                    .mapToObj(i -> "(" + DuckDbTypes.literal(files.get(i).toString()) + ", " + i + ")").collect(Collectors.joining(", "));
            from = read + " JOIN (VALUES " + positions + ") __quiver_fp(__quiver_path, __quiver_fpos) ON __quiver_file = __quiver_path";
            select.add("__quiver_fpos");
        } else {
            select.add("0 AS __quiver_fpos");
        }
        return new SnapshotScan("(SELECT " + String.join(", ", select) + " FROM " + from + ")",
                "((CAST(__quiver_fpos AS BIGINT) << " + ROW_BITS + ") + __quiver_frn)");
    }

    private static Set<String> columns(Connection c, String read) {
        Set<String> names = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + read)) {
            while (r.next()) {
                names.add(r.getString("column_name"));
            }
            return names;
        } catch (SQLException e) {
            throw new QuiverException(ErrorCode.FEATURE_MATERIALIZATION_FAILED, "could not read the columns of the data files "
                    + "in the query engine; retry, or report it with the request id", e);
        }
    }
}
