package io.quiver.offline;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.ingest.WriteService;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** Point-in-time retrieval: hand-written edge cases through /graphql, and a randomized test against an oracle. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class HistoricalRetrievalTest {

    private static final String QUERY = """
            query($f: [String!]!, $rows: [JSON!]!, $full: Boolean, $asOf: DateTime) {
              historicalFeatures(features: $f, entityRows: $rows, fullFeatureNames: $full, asOf: $asOf)
            }""";

    private static final Instant BASE = Instant.parse("2026-03-01T00:00:00Z");

    @Inject
    WriteService writer;

    @Inject
    HistoricalRetriever retriever;

    private static String at(int minutes) {
        return BASE.plusSeconds(60L * minutes).toString();
    }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static JsonPath query(List<String> features, List<Map<String, Object>> rows, boolean full, String asOf) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("f", features);
        vars.put("rows", rows);
        vars.put("full", full);
        vars.put("asOf", asOf);
        return ok(QUERY, vars);
    }

    @Test
    void edgeCasesOfThePointInTimeJoin() {
        String e = unique("cust");
        String g = unique("pit");
        // TTL 10 minutes; created time breaks event-time ties.
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(with(group(g, e, List.of(
                feature("score", "DOUBLE"), feature("label", "STRING"))), "ttlSeconds", 600, "createdTimestampColumn", "created")));
        writer.write(g, 0, List.of(
                row("customer_id", 1, "event_timestamp", at(0), "created", at(0), "score", 1.0),
                row("customer_id", 1, "event_timestamp", at(5), "created", at(6), "score", 2.0, "label", "late-created"),
                row("customer_id", 1, "event_timestamp", at(5), "created", at(5), "score", 99.0, "label", "early-created"),
                row("customer_id", 2, "event_timestamp", at(0), "created", at(0), "score", 20.0)), WriteMode.APPEND, null);

        List<Map<String, Object>> rows = List.of(
                row("customer_id", 1, "event_timestamp", at(5), "label_y", 1),   // exact match, tie -> latest created
                row("customer_id", 1, "event_timestamp", at(3)),                 // between -> row at 0
                row("customer_id", 1, "event_timestamp", at(-1)),                // before any feature -> null
                row("customer_id", 2, "event_timestamp", at(10)),                // exactly TTL old -> included
                row("customer_id", 2, "event_timestamp", at(11)),                // older than TTL -> null
                row("customer_id", 3, "event_timestamp", at(5)),                 // unknown entity -> null
                row("customer_id", 1, "event_timestamp", at(5), "label_y", 1));  // duplicate entity row, kept
        JsonPath json = query(List.of(g + ".score", g + ":label"), rows, false, null);

        List<Map<String, Object>> out = json.getList("data.historicalFeatures");
        assertThat(out).hasSize(7);
        assertThat(out).extracting(r -> r.get("score")).containsExactly(2.0f, 1.0f, null, 20.0f, null, null, 2.0f);
        assertThat(out.get(0)).containsEntry("label", "late-created").containsEntry("label_y", 1).containsEntry("customer_id", 1);
        assertThat(out.get(1)).containsEntry("label", null).containsEntry("event_timestamp", at(3));

        JsonPath full = query(List.of(g + ".score"), List.of(rows.get(1)), true, null);
        assertThat(full.getMap("data.historicalFeatures[0]")).containsKey(g + "__score").doesNotContainKey("score");
    }

    @Test
    void equalTimesWithoutACreatedColumnGoToTheLatestWrite() {
        String e = unique("cust");
        String g = unique("tie");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(g, e, List.of(feature("v", "INT")))));
        writer.write(g, 0, List.of(row("customer_id", 1, "event_timestamp", at(0), "v", 1)), WriteMode.APPEND, null);
        writer.write(g, 0, List.of(row("customer_id", 1, "event_timestamp", at(0), "v", 2)), WriteMode.APPEND, null);
        JsonPath json = query(List.of(g + ".v"), List.of(row("customer_id", 1, "event_timestamp", at(1))), false, null);
        assertThat(json.getInt("data.historicalFeatures[0].v")).isEqualTo(2);
    }

    @Test
    void groupsJoinOnTheirOwnKeysAndAsOfReadsAnEarlierState() throws Exception {
        String customer = unique("cust");
        String product = unique("prod");
        String byCustomer = unique("bycust");
        String byPair = unique("bypair");
        register(List.of(entity(customer, "customer_id", "BIGINT"), entity(product, "product_id", "STRING")), List.of(
                group(byCustomer, customer, List.of(feature("spend", "DECIMAL(10,2)"))),
                with(group(byPair, customer, List.of(feature("affinity", "DOUBLE"))), "entities", List.of(customer, product))));
        Snapshot first = writer.write(byCustomer, 0, List.of(row("customer_id", 1, "event_timestamp", at(0), "spend", "10.50")),
                WriteMode.APPEND, null).snapshot();
        while (!Instant.now().isAfter(first.committedAt())) {
            Thread.onSpinWait();
        }
        writer.write(byCustomer, 0, List.of(row("customer_id", 1, "event_timestamp", at(1), "spend", "99.99")), WriteMode.APPEND, null);
        writer.write(byPair, 0, List.of(row("customer_id", 1, "product_id", "p1", "event_timestamp", at(0), "affinity", 0.75),
                row("customer_id", 1, "product_id", "p2", "event_timestamp", at(0), "affinity", 0.25)), WriteMode.APPEND, null);

        List<Map<String, Object>> rows = List.of(row("customer_id", 1, "product_id", "p2", "event_timestamp", at(5)));
        JsonPath now = query(List.of(byCustomer + ".spend", byPair + ".affinity"), rows, false, null);
        assertThat(now.getString("data.historicalFeatures[0].spend")).isEqualTo("99.99");
        assertThat(now.getFloat("data.historicalFeatures[0].affinity")).isEqualTo(0.25f);

        JsonPath then = query(List.of(byCustomer + ".spend", byPair + ".affinity"), rows, false, first.committedAt().toString());
        assertThat(then.getString("data.historicalFeatures[0].spend")).isEqualTo("10.5");
        assertThat(then.getString("data.historicalFeatures[0].affinity")).isNull();

        // a snapshot pin holds one group at a known state; the other group is read as it is now
        String pinned = """
                query($f: [String!]!, $rows: [JSON!]!, $pins: [SnapshotPinInput]) {
                  historicalFeatures(features: $f, entityRows: $rows, snapshots: $pins)
                }""";
        JsonPath pin = ok(pinned, Map.of("f", List.of(byCustomer + ".spend", byPair + ".affinity"), "rows", rows,
                "pins", List.of(Map.of("group", byCustomer, "snapshotId", first.id()))));
        assertThat(pin.getString("data.historicalFeatures[0].spend")).isEqualTo("10.5");
        assertThat(pin.getFloat("data.historicalFeatures[0].affinity")).isEqualTo(0.25f);
        JsonPath wrongGroup = failing(pinned, Map.of("f", List.of(byPair + ".affinity"), "rows", rows,
                "pins", List.of(Map.of("group", byCustomer, "snapshotId", first.id()))));
        assertThat(wrongGroup.getString("errors[0].message")).contains("no requested feature belongs to it");
        JsonPath noSuchSnapshot = failing(pinned, Map.of("f", List.of(byPair + ".affinity"), "rows", rows,
                "pins", List.of(Map.of("group", byPair, "snapshotId", first.id()))));
        assertThat(noSuchSnapshot.getString("errors[0].message")).contains("has no snapshot " + first.id());
    }

    @Test
    void badRequestsGetClearErrors() {
        String e = unique("cust");
        String g = unique("bad");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(g, e, List.of(feature("v", "INT")))));

        JsonPath missing = failing(QUERY, Map.of("f", List.of(g + ".v"), "rows", List.of(row("event_timestamp", "yesterday"))));
        assertThat(missing.getString("errors[0].extensions.code")).isEqualTo("SCHEMA_VALIDATION_FAILED");
        assertThat(missing.getList("errors[0].extensions.violations.rule")).containsExactly("MISSING_KEY", "TYPE");

        JsonPath unknown = failing(QUERY, Map.of("f", List.of(g + ".nope"), "rows", List.of(row("customer_id", 1, "event_timestamp", at(0)))));
        assertThat(unknown.getString("errors[0].extensions.code")).isEqualTo("FEATURE_NOT_FOUND");

        JsonPath twice = failing(QUERY, Map.of("f", List.of(g + ".v", g + ":v"), "rows", List.of(row("customer_id", 1, "event_timestamp", at(0)))));
        assertThat(twice.getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
    }

    /**
     * Randomized: many entities, duplicate event times, created-time ties across writes, TTL boundaries hit exactly
     * (minute grid), entity rows before any feature row and repeated, data spread over several appended files.
     */
    @Test
    void matchesABruteForceOracle() {
        oracle(4, 80);
    }

    /** Past 64 files a row's file position comes from a join instead of a list lookup: the same answers. */
    @Test
    void matchesTheOracleOverSeventyFiles() {
        oracle(70, 6);
    }

    private void oracle(int batches, int rowsPerBatch) {
        String e = unique("cust");
        String g = unique("oracle");
        int ttlMinutes = 7;
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(with(group(g, e, List.of(feature("v", "BIGINT"))),
                "ttlSeconds", ttlMinutes * 60, "createdTimestampColumn", "created")));
        Random random = new Random(20261123);
        List<long[]> written = new ArrayList<>(); // {customer, eventMinute, createdSecond, value, writeOrder}
        long value = 0;
        for (int batch = 0; batch < batches; batch++) {
            // Within one batch (customer, minute, created) is unique: which of two identical rows a file holds last
            // is not defined, so nothing could decide between them. Across batches the later write wins.
            Map<String, long[]> batchRows = new LinkedHashMap<>();
            for (int i = 0; i < rowsPerBatch; i++) {
                long customer = random.nextInt(12);
                long minute = random.nextInt(40);
                long created = random.nextInt(5); // few values: equal created times across batches
                batchRows.put(customer + "/" + minute + "/" + created, new long[] {customer, minute, created, ++value, batch});
            }
            written.addAll(batchRows.values());
            List<Map<String, Object>> rows = batchRows.values().stream().map(w -> row("customer_id", w[0],
                    "event_timestamp", at((int) w[1]), "created", BASE.plusSeconds(w[2]).toString(), "v", w[3])).toList();
            writer.write(g, 0, rows, WriteMode.APPEND, null);
        }

        List<Map<String, Object>> entityRows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            entityRows.add(row("customer_id", random.nextInt(14), "event_timestamp", at(random.nextInt(50) - 3), "i", i));
        }
        entityRows.addAll(entityRows.subList(0, 20)); // repeated entity rows
        Collections.shuffle(entityRows, random);

        List<Map<String, Object>> out = retriever.retrieve(List.of(g + ".v"), entityRows, "event_timestamp", false, null, List.of());

        assertThat(out).hasSize(entityRows.size());
        // Not vacuous: both matches and misses (before any row, outside the TTL, unknown entity) occur.
        assertThat(out).filteredOn(r -> r.get("v") != null).hasSizeBetween(60, out.size() - 30);
        for (int i = 0; i < entityRows.size(); i++) {
            Map<String, Object> in = entityRows.get(i);
            long customer = ((Number) in.get("customer_id")).longValue();
            long minute = (Instant.parse((String) in.get("event_timestamp")).getEpochSecond() - BASE.getEpochSecond()) / 60;
            long[] best = null;
            for (long[] w : written) {
                boolean eligible = w[0] == customer && w[1] <= minute && w[1] >= minute - ttlMinutes;
                if (eligible && (best == null || w[1] > best[1] || w[1] == best[1] && (w[2] > best[2]
                        || w[2] == best[2] && w[4] > best[4]))) {
                    best = w;
                }
            }
            Object expected = best == null ? null : BigInteger.valueOf(best[3]);
            Object actual = out.get(i).get("v");
            assertThat(actual == null ? null : new BigDecimal(actual.toString()).toBigIntegerExact())
                    .as("entity row %s", in).isEqualTo(expected);
            assertThat(out.get(i)).containsEntry("i", in.get("i"));
        }
    }
}
