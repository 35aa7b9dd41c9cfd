package io.quiver.demo;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.quiver.ingest.WriteService;
import io.quiver.offline.StatisticsService;
import io.quiver.offline.WriteMode;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Values for the demo's stored groups, so that a first run shows data and statistics: profiles of the lake's 200
 * customers and an affinity score per customer for a few products, with event times in the last ten days (inside
 * the groups' TTLs, so online reads find them). Written through the same write path as a client's, then their
 * statistics are computed.
 */
@ApplicationScoped
public class DemoValues {

    private static final Logger LOG = Logger.getLogger(DemoValues.class);
    static final int CUSTOMERS = 200;
    static final List<String> PRODUCTS = List.of("p-espresso", "p-headphones", "p-backpack", "p-novel", "p-sneakers");

    private final WriteService writes;
    private final StatisticsService statistics;

    public DemoValues(WriteService writes, StatisticsService statistics) {
        this.writes = writes;
        this.statistics = statistics;
    }

    void write(Instant now) {
        writes.write("customer_profile", 0, profiles(now), WriteMode.APPEND, null);
        writes.write("product_affinity", 0, affinities(now), WriteMode.APPEND, null);
        statistics.refresh("customer_profile", 0);
        statistics.refresh("product_affinity", 0);
        LOG.infof("demo values written: %d customer profiles, %d product affinities", CUSTOMERS, CUSTOMERS * PRODUCTS.size());
    }

    static List<Map<String, Object>> profiles(Instant now) {
        String[] regions = { "north", "south", "east", "west" };
        String[] segments = { "bronze", "silver", "gold" };
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= CUSTOMERS; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("customer_id", (long) i);
            row.put("updated_at", now.minus((i * 7L) % 240, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
            // every 25th customer has not told their age: the statistics show a null rate
            row.put("age", i % 25 == 0 ? null : 18 + (i * 37) % 60);
            row.put("region", regions[i % regions.length]);
            row.put("signup_date", LocalDate.of(2020, 1, 1).plusDays((i * 53L) % 1500).toString());
            row.put("segment", segments[(i * 5) % segments.length]);
            rows.add(row);
        }
        return rows;
    }

    static List<Map<String, Object>> affinities(Instant now) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 1; i <= CUSTOMERS; i++) {
            for (int p = 0; p < PRODUCTS.size(); p++) {
                int h = Math.floorMod(i * 31 + p * 17, 101);
                String at = now.minus((i + p) % 72, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("customer_id", (long) i);
                row.put("product_id", PRODUCTS.get(p));
                row.put("computed_at", at);
                row.put("created_at", at);
                row.put("affinity_score", h / 100.0);
                row.put("last_purchase_days", (i * (p + 3)) % 90);
                row.put("embedding", List.of(h / 100f, (100 - h) / 100f, ((i + p) % 10) / 10f));
                rows.add(row);
            }
        }
        return rows;
    }
}
