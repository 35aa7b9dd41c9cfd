package io.quiver.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.model.FeatureType;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.GroupStatus;
import io.quiver.registry.model.JoinKey;
import io.quiver.config.StorageFormat;

class RowValidatorTest {

    private static Feature feature(String name, String type, boolean nullable, String dflt, List<String> allowed, Double min, Double max) {
        FeatureDataType t = FeatureDataType.parse(type);
        return new Feature(0, 1, "g", 1, name, t, FeatureType.inferredFrom(t), null, nullable, dflt, allowed, min, max, null,
                List.of(), Map.of(), List.of(), List.of(), null);
    }

    private static final GroupSchema SCHEMA = GroupSchema.of(
            new FeatureGroup(1, "g", 1, true, List.of("customer"), List.of(new JoinKey("customer_id", DataType.BIGINT)),
                    "ts", DataType.TIMESTAMP, "created", DataType.TIMESTAMP, 0, null, StorageFormat.PARQUET, "p", "p/v1_0/data/", true, true, null,
                    null, null, List.of(), List.of(), GroupStatus.ACTIVE, Map.of(), Instant.EPOCH, Instant.EPOCH, null, null),
            List.of(
                    feature("count", "INT", true, null, List.of(), 0.0, 1000.0),
                    feature("total", "BIGINT", true, null, List.of(), null, null),
                    feature("ratio", "FLOAT", true, null, List.of(), null, null),
                    feature("score", "DOUBLE", true, null, List.of(), null, null),
                    feature("amount", "DECIMAL(8,2)", true, null, List.of(), null, null),
                    feature("segment", "STRING", false, "bronze", List.of("bronze", "silver", "gold"), null, null),
                    feature("active", "BOOLEAN", true, null, List.of(), null, null),
                    feature("born", "DATE", true, null, List.of(), null, null),
                    feature("seen", "TIMESTAMP", true, null, List.of(), null, null),
                    feature("vec", "ARRAY<FLOAT>", true, null, List.of(), null, null),
                    feature("spend", "MAP<STRING,DOUBLE>", true, null, List.of(), null, null),
                    feature("by_day", "MAP<INT,BIGINT>", true, null, List.of(), null, null),
                    feature("addr", "STRUCT<city:STRING,zip:INT>", true, null, List.of(), null, null),
                    feature("required_flag", "BOOLEAN", false, null, List.of(), null, null)));

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("customer_id", 7);
        m.put("ts", "2026-01-02T03:04:05.123456Z");
        m.put("required_flag", true);
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static List<String> violations(List<Map<String, Object>> rows) {
        try {
            RowValidator.validate(SCHEMA, rows);
        } catch (SchemaValidationException e) {
            return e.violations().stream().map(v -> v.path() + " " + v.rule()).toList();
        }
        throw new AssertionError("expected the batch to be rejected");
    }

    @Test
    void convertsEveryTypeWithSafeWidening() {
        Map<String, Object> typed = RowValidator.validate(SCHEMA, List.of(row(
                "count", 12, "total", new BigInteger("9000000000"), "ratio", 0.5, "score", 3,
                "amount", new BigDecimal("12.50"), "segment", "gold", "active", false, "born", "1990-05-01",
                "seen", "2026-01-01T10:00:00+02:00", "vec", List.of(1, 2.5), "spend", Map.of("food", 10),
                "by_day", Map.of("3", 4), "addr", Map.of("city", "Lyon"), "created", "2026-01-02T00:00:00")))
                .get(0);

        assertThat(typed).containsEntry("customer_id", 7L).containsEntry("count", 12).containsEntry("total", 9_000_000_000L)
                .containsEntry("ratio", 0.5f).containsEntry("score", 3.0).containsEntry("amount", new BigDecimal("12.5"))
                .containsEntry("segment", "gold").containsEntry("active", false)
                .containsEntry("born", LocalDate.of(1990, 5, 1))
                .containsEntry("seen", Instant.parse("2026-01-01T08:00:00Z"))
                .containsEntry("ts", Instant.parse("2026-01-02T03:04:05.123456Z"))
                .containsEntry("created", Instant.parse("2026-01-02T00:00:00Z"))
                .containsEntry("vec", List.of(1.0f, 2.5f))
                .containsEntry("spend", Map.of("food", 10.0))
                .containsEntry("by_day", Map.of(3, 4L));
        @SuppressWarnings("unchecked")
        Map<String, Object> addr = (Map<String, Object>) typed.get("addr");
        assertThat(addr).containsEntry("city", "Lyon").containsEntry("zip", null);
    }

    @Test
    void missingFeaturesTakeTheirDefaultOrNull() {
        Map<String, Object> typed = RowValidator.validate(SCHEMA, List.of(row())).get(0);
        assertThat(typed).containsEntry("segment", "bronze").containsEntry("count", null).containsKey("vec");
        assertThat(typed).containsEntry("created", null);
    }

    @Test
    void everyRuleIsReportedWithRowAndColumn() {
        List<String> v = violations(List.of(
                row("count", 1.5),                                   // 0: not integral
                row("count", 5000),                                  // 1: over max
                row("total", "12"),                                  // 2: string for a number
                row("segment", "platinum"),                          // 3: not allowed
                row("active", "yes"),                                // 4
                row("born", "01/05/1990"),                           // 5
                row("amount", new BigDecimal("1.234")),              // 6: scale too large
                row("amount", new BigDecimal("1234567.1")),          // 7: precision too large
                row("vec", List.of("a")),                            // 8
                row("addr", Map.of("street", "x")),                  // 9
                row("by_day", Map.of("monday", 1)),                  // 10
                row("colour", "red"),                                // 11: unknown column
                row("required_flag", null),                          // 12: not nullable, no default
                row("customer_id", null),                            // 13
                row("ts", null),                                     // 14
                row("ts", 1700000000),                               // 15
                row("count", 3_000_000_000L)));                      // 16
        assertThat(v).containsExactly(
                "rows[0].count TYPE", "rows[1].count OUT_OF_RANGE", "rows[2].total TYPE", "rows[3].segment NOT_ALLOWED",
                "rows[4].active TYPE", "rows[5].born TYPE", "rows[6].amount TYPE", "rows[7].amount TYPE",
                "rows[8].vec[0] TYPE", "rows[9].addr.street UNKNOWN_FIELD", "rows[10].by_day{monday} TYPE",
                "rows[11].colour UNKNOWN_COLUMN", "rows[12].required_flag NOT_NULLABLE", "rows[13].customer_id MISSING_KEY",
                "rows[14].ts MISSING_TIMESTAMP", "rows[15].ts TYPE", "rows[16].count TYPE");
    }

    @Test
    void unknownColumnsSuggestTheClosestName() {
        try {
            RowValidator.validate(SCHEMA, List.of(row("scor", 1.0)));
        } catch (SchemaValidationException e) {
            assertThat(e.violations()).extracting(Violation::message).anyMatch(m -> m.contains("did you mean score?"));
            return;
        }
        throw new AssertionError("expected a violation");
    }

    @Test
    void largeBatchesListTheFirstHundredViolationsAndCountAll() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rows.add(row("count", "bad", "active", "bad"));
        }
        assertThatThrownBy(() -> RowValidator.validate(SCHEMA, rows)).isInstanceOf(SchemaValidationException.class)
                .satisfies(e -> {
                    SchemaValidationException s = (SchemaValidationException) e;
                    assertThat(s.violations()).hasSize(io.quiver.error.Violations.MAX_LISTED);
                    assertThat(s.total()).isEqualTo(500);
                })
                .hasMessageContaining("rejected with 500 violations (the first 100 are listed)");
    }

    @Test
    void anEmptyBatchIsRejected() {
        assertThat(violations(List.of())).containsExactly("rows EMPTY");
    }
}
