package io.quiver.virtual;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.quiver.columnar.DuckDbTypes;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.JoinKey;

/**
 * The point-in-time join in Spark SQL, equal to DuckDB's ASOF join ({@code PointInTimeJoin}) row for row. Spark has no
 * ASOF JOIN, so per group the entity rows and the group's rows are put in one relation, partitioned by the keys and
 * ordered by time, then kind (a group row before an entity row at the same time: a row at the entity row's own
 * timestamp counts), then the created time (nulls first) and the write order; for each entity row the last group row
 * before it is the match ({@code last(..., true)} over a STRUCT that is null on entity rows, so a match whose feature
 * values are null still counts). A match older than the group's TTL gives nulls, as does no match. Entity rows with a
 * null key or timestamp match nothing. Pure logic.
 */
final class SparkPointInTime {

    static final String ROW = "__row";
    static final String TS = "__ts";

    /**
     * One group of the join.
     *
     * @param rows a Spark relation of the group's rows (its keys, event and created time, features and {@code __quiver_w},
     *        the write order), or null when the group has no data
     */
    record Part(FeatureGroup group, List<Feature> features, List<String> outputNames, String rows) {
    }

    private SparkPointInTime() {
    }

    static String keyColumn(String key) {
        return SparkQueryExecutor.quote("__key_" + key);
    }

    /** The Spark type of a feature's values. */
    static String type(Feature f) {
        return SparkTypes.toSpark(DuckDbTypes.of(f.dataTypeDetail()));
    }

    private static String keyType(JoinKey k) {
        return SparkTypes.toSpark(DuckDbTypes.of(FeatureDataType.scalar(k.valueType())));
    }

    /** @return a SELECT of {@code __row} and every output column, one row per entity row of {@code entities} */
    static String sql(List<Part> parts, String entities) {
        List<String> select = new ArrayList<>();
        select.add("CAST(e." + ROW + " AS BIGINT) AS " + ROW);
        StringBuilder from = new StringBuilder(entities + " e");
        for (int i = 0; i < parts.size(); i++) {
            Part p = parts.get(i);
            String m = "m" + i;
            if (p.rows() == null) {
                for (int f = 0; f < p.features().size(); f++) {
                    select.add("CAST(NULL AS " + type(p.features().get(f)) + ") AS " + SparkQueryExecutor.quote(p.outputNames().get(f)));
                }
                continue;
            }
            long ttl = p.group().ttlSeconds();
            String fresh = ttl > 0 ? m + ".__m.t >= e." + TS + " - make_dt_interval(0, 0, 0, " + ttl + ")" : null;
            for (int f = 0; f < p.features().size(); f++) {
                String value = m + ".__m.f" + f;
                select.add((fresh == null ? value : "CASE WHEN " + fresh + " THEN " + value + " END") + " AS "
                        + SparkQueryExecutor.quote(p.outputNames().get(f)));
            }
            from.append(" LEFT JOIN (").append(matches(p, entities)).append(") ").append(m).append(" ON CAST(e.").append(ROW)
                    .append(" AS BIGINT) = ").append(m).append('.').append(ROW);
        }
        return "SELECT " + String.join(", ", select) + " FROM " + from;
    }

    /** Each entity row's match in one group: {@code __row} and {@code __m} (the matched row's time and features, or null). */
    private static String matches(Part p, String entities) {
        FeatureGroup g = p.group();
        String struct = "STRUCT<t: TIMESTAMP" + java.util.stream.IntStream.range(0, p.features().size())
                .mapToObj(f -> ", f" + f + ": " + type(p.features().get(f))).collect(Collectors.joining()) + ">";
        List<String> entity = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        List<String> entityNotNull = new ArrayList<>();
        List<String> rowsNotNull = new ArrayList<>();
        for (JoinKey k : g.entityKeys()) {
            String name = SparkQueryExecutor.quote(k.name());
            entity.add("CAST(" + keyColumn(k.name()) + " AS " + keyType(k) + ") AS " + name);
            rows.add("CAST(" + name + " AS " + keyType(k) + ") AS " + name);
            entityNotNull.add(keyColumn(k.name()) + " IS NOT NULL");
            rowsNotNull.add(name + " IS NOT NULL");
        }
        String event = "CAST(" + SparkQueryExecutor.quote(g.eventTimestampColumn()) + " AS TIMESTAMP)";
        entity.addAll(List.of("CAST(" + TS + " AS TIMESTAMP) AS __t", "1 AS __kind", "CAST(NULL AS TIMESTAMP) AS __c",
                "CAST(NULL AS BIGINT) AS __w", "CAST(" + ROW + " AS BIGINT) AS " + ROW, "CAST(NULL AS " + struct + ") AS __m"));
        entityNotNull.add(TS + " IS NOT NULL");
        String created = g.createdTimestampColumn() == null ? "CAST(NULL AS TIMESTAMP)"
                : "CAST(" + SparkQueryExecutor.quote(g.createdTimestampColumn()) + " AS TIMESTAMP)";
        String values = java.util.stream.IntStream.range(0, p.features().size())
                .mapToObj(f -> ", 'f" + f + "', " + SparkQueryExecutor.quote(p.features().get(f).name())).collect(Collectors.joining());
        rows.addAll(List.of(event + " AS __t", "0 AS __kind", created + " AS __c", "__quiver_w AS __w", "CAST(NULL AS BIGINT) AS " + ROW,
                "named_struct('t', " + event + values + ") AS __m"));
        rowsNotNull.add(event + " IS NOT NULL");
        String keys = g.entityKeys().stream().map(k -> SparkQueryExecutor.quote(k.name())).collect(Collectors.joining(", "));
        return "SELECT " + ROW + ", __m FROM (SELECT __kind, " + ROW + ", last(__m, true) OVER (PARTITION BY " + keys
                + " ORDER BY __t, __kind, __c ASC NULLS FIRST, __w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS __m FROM ("
                + "SELECT " + String.join(", ", entity) + " FROM " + entities + " WHERE " + String.join(" AND ", entityNotNull)
                + " UNION ALL SELECT " + String.join(", ", rows) + " FROM " + p.rows() + " WHERE " + String.join(" AND ", rowsNotNull)
                + ") u) w WHERE __kind = 1";
    }
}
