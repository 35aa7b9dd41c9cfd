package io.quiver.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.quiver.columnar.DuckDbTypes;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;

/**
 * The SQL of a point-in-time join: one ASOF LEFT JOIN per group from an entity table ({@code __row}, typed keys
 * {@code __key_<name>}, timestamp {@code __ts}) to the group's data files. Each group row is ordered by
 * (event time, created time, file position in the snapshot and row in the file packed into one BIGINT), compared as
 * one STRUCT, so the join
 * picks, among rows at or before the entity timestamp, the latest event time, and among equal event times the
 * latest created time, then the latest write; the entity side's STRUCT puts the upper bound past every tie. A match
 * older than the group's TTL gives nulls. Only the tie-breakers a group needs are in its STRUCT (each costs time).
 */
final class PointInTimeJoin {

    static final String ROW = "__row";
    static final String TS = "__ts";
    private static final String MAX_BIGINT = "9223372036854775807";

    /** One group's part: its features (with output names, in request order) and its snapshot's files (null: none). */
    record Part(GroupSchema schema, List<Feature> features, List<String> outputNames, SnapshotScan scan) {
    }

    private PointInTimeJoin() {
    }

    static String keyColumn(String key) {
        return "\"__key_" + key + "\"";
    }

    /**
     * @param carried expressions over the entity table {@code e} to carry into the result before the features
     * @return a SELECT of {@code __row}, the carried columns and every output feature column, one row per entity row
     */
    static String sql(List<Part> parts, String entityTable, List<String> carried) {
        List<String> select = new ArrayList<>();
        select.add("e." + ROW);
        select.addAll(carried);
        StringBuilder from = new StringBuilder(entityTable + " e");
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            FeatureGroup g = p.schema().group();
            String alias = "g" + i;
            if (p.scan() == null) {
                for (int f = 0; f < p.features().size(); f++) {
                    select.add("CAST(NULL AS " + DuckDbTypes.of(p.features().get(f).dataTypeDetail()) + ") AS "
                            + DuckDbTypes.quoteAny(p.outputNames().get(f)));
                }
                continue;
            }
            String fresh = g.ttlSeconds() > 0 ? alias + "." + TS + " >= e." + TS + " - INTERVAL " + g.ttlSeconds() + " SECOND" : null;
            for (int f = 0; f < p.features().size(); f++) {
                String value = alias + "." + DuckDbTypes.quote(p.features().get(f).name());
                select.add((fresh == null ? value : "CASE WHEN " + fresh + " THEN " + value + " END") + " AS "
                        + DuckDbTypes.quoteAny(p.outputNames().get(f)));
            }
            String keys = g.entityKeys().stream().map(k -> "e." + keyColumn(k.name()) + " = " + alias + "." + DuckDbTypes.quote(k.name()))
                    .collect(Collectors.joining(" AND "));
            from.append(" ASOF LEFT JOIN (").append(groupRows(p)).append(") ").append(alias).append(" ON ").append(keys)
                    .append(" AND ").append(order(p, null)).append(" >= ").append(alias).append(".__o");
        }
        return "SELECT " + String.join(", ", select) + " FROM " + from;
    }

    /** The group's rows: keys, event time, ordering STRUCT, requested features. */
    private static String groupRows(Part p) {
        FeatureGroup g = p.schema().group();
        SnapshotScan scan = p.scan();
        List<String> columns = new ArrayList<>();
        for (JoinKey k : g.entityKeys()) {
            columns.add(DuckDbTypes.quote(k.name()));
        }
        columns.add("CAST(" + DuckDbTypes.quote(g.eventTimestampColumn()) + " AS TIMESTAMPTZ) AS " + TS);
        columns.add(order(p, scan.writeOrder()) + " AS __o");
        p.features().forEach(f -> columns.add(DuckDbTypes.quote(f.name())));
        return "SELECT " + String.join(", ", columns) + " FROM " + scan.relation();
    }

    /**
     * The ordering STRUCT of a group row: event time, created time (when the group has one), then the write as
     * one number, file position in the snapshot above row in the file. {@code write} null gives the bound an entity
     * row compares against: its own timestamp, then the largest value of every tie-breaker.
     */
    private static String order(Part p, String write) {
        FeatureGroup g = p.schema().group();
        boolean entity = write == null;
        List<String> fields = new ArrayList<>();
        fields.add("'t': " + (entity ? "e." + TS : "CAST(" + DuckDbTypes.quote(g.eventTimestampColumn()) + " AS TIMESTAMPTZ)"));
        if (g.createdTimestampColumn() != null) {
            fields.add("'c': " + (entity ? "CAST('infinity' AS TIMESTAMPTZ)"
                    : "COALESCE(CAST(" + DuckDbTypes.quote(g.createdTimestampColumn()) + " AS TIMESTAMPTZ), CAST('-infinity' AS TIMESTAMPTZ))"));
        }
        fields.add("'w': " + (entity ? MAX_BIGINT : write));
        return "{" + String.join(", ", fields) + "}";
    }
}
