package io.quiver.offline;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.quiver.columnar.DuckDbTypes;

/**
 * Reads a snapshot's data files (local copies) as one DuckDB relation, with each row's write order: its file's
 * position in the snapshot above its row number in the file, packed into one BIGINT. Among rows with equal keys,
 * event and created time, the greatest write order is the latest write. Files written before a nullable feature
 * was added still read ({@code union_by_name}).
 *
 * @param relation a FROM item (alias-free) over the files
 * @param writeOrder a BIGINT expression over that relation
 */
public record SnapshotScan(String relation, String writeOrder) {

    /** Rows per file stay below 2^40; file positions below 2^23. */
    private static final int ROW_BITS = 40;
    /** Up to this many files, a file's position is looked up in a list; beyond, joined (list lookups scan the list). */
    private static final int LIST_POSITION_MAX_FILES = 64;

    public static SnapshotScan of(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a snapshot scan needs at least one file");
        }
        String list = files.stream().map(f -> DuckDbTypes.literal(f.toString())).collect(Collectors.joining(", ", "[", "]"));
        boolean several = files.size() > 1;
        String scan = "read_parquet(" + list + ", file_row_number = true, union_by_name = true" + (several ? ", filename = true" : "") + ")";
        String position = "0";
        if (several && files.size() <= LIST_POSITION_MAX_FILES) {
            position = "list_position(" + list + ", filename) - 1";
        } else if (several) {
            String positions = IntStream.range(0, files.size())
                    .mapToObj(i -> "(" + DuckDbTypes.literal(files.get(i).toString()) + ", " + i + ")").collect(Collectors.joining(", "));
            scan = "(SELECT d.*, fp.position FROM " + scan + " d JOIN (VALUES " + positions + ") fp(path, position) ON d.filename = fp.path)";
            position = "position";
        }
        return new SnapshotScan(scan, "((CAST(" + position + " AS BIGINT) << " + ROW_BITS + ") + file_row_number)");
    }
}
