package io.quiver.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.registry.Page;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.FeatureGroup;
import io.quiver.registry.spec.FeatureGroupFilter;
import io.quiver.registry.FeatureResolver;
import io.quiver.support.GraphQL;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import jakarta.inject.Inject;

/**
 * Registry benchmark (issue: foundation). Registers 1,000 groups x 20 features on the real PostgreSQL, then
 * <ol>
 * <li>lists them all through /graphql (two pages of 500, with every feature) and reports p50/p99, against a
 * baseline of plain JDBC reading the same rows from the same database;</li>
 * <li>resolves 100,000 group.feature names through the serving path's cached lookup, against the same lookup made
 * uncached (straight from the database).</li>
 * </ol>
 * Prints results; asserts nothing about timings.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class RegistryBenchmark {

    private static final int GROUPS = 1_000;
    private static final int FEATURES = 20;
    private static final int LOOKUPS = 100_000;
    private static final int UNCACHED_LOOKUPS = 2_000;
    private static final int LISTING_RUNS = 60;

    private static final String PAGE = """
            query($after: String) {
              featureGroups(filter: {tags: ["bench"]}, first: 500, after: $after) {
                totalCount pageInfo { hasNextPage endCursor }
                nodes { name version mode tags entityKeys { name valueType }
                        features { name type featureType description nullable tags } }
              }
            }""";

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/graphql")
    URI endpoint;

    private final HttpClient http = HttpClient.newHttpClient();

    @Inject
    FeatureResolver resolver;

    @Inject
    RegistryCatalog catalog;

    @Inject
    DataSource dataSource;

    @Test
    void registryBenchmark() throws Exception {
        long t0 = System.nanoTime();
        register();
        System.out.printf("%nRegistered %d groups x %d features in %.1f s%n", GROUPS, FEATURES, (System.nanoTime() - t0) / 1e9);

        // 1. Listing: GraphQL vs plain JDBC over the same rows.
        for (int i = 0; i < 5; i++) {
            listViaGraphQL();
            listViaJdbc();
        }
        double[] graphql = new double[LISTING_RUNS];
        double[] jdbc = new double[LISTING_RUNS];
        double[] reads = new double[LISTING_RUNS];
        for (int i = 0; i < LISTING_RUNS; i++) {
            long r = System.nanoTime();
            listViaCatalog();
            reads[i] = (System.nanoTime() - r) / 1e6;
            long s = System.nanoTime();
            int n = listViaGraphQL();
            graphql[i] = (System.nanoTime() - s) / 1e6;
            s = System.nanoTime();
            int m = listViaJdbc();
            jdbc[i] = (System.nanoTime() - s) / 1e6;
            if (n != GROUPS * FEATURES || m != GROUPS * FEATURES) {
                throw new IllegalStateException("listing returned " + n + " / " + m + " features");
            }
        }
        System.out.printf("Listing %d groups x %d features via GraphQL (2 pages of 500): p50 %.1f ms, p99 %.1f ms%n",
                GROUPS, FEATURES, percentile(graphql, 50), percentile(graphql, 99));
        System.out.printf("Baseline plain JDBC (same rows, no JSON): p50 %.1f ms, p99 %.1f ms -> GraphQL/JDBC p50 ratio %.1fx%n",
                percentile(jdbc, 50), percentile(jdbc, 99), percentile(graphql, 50) / percentile(jdbc, 50));

        System.out.printf("  of which registry reads (catalog calls, no GraphQL): p50 %.1f ms, p99 %.1f ms%n",
                percentile(reads, 50), percentile(reads, 99));

        // 2. Lookups: cached serving path vs an uncached database lookup.
        String[] refs = new String[LOOKUPS];
        for (int i = 0; i < LOOKUPS; i++) {
            refs[i] = String.format("bench_g%04d.f%02d", i % GROUPS, (i / GROUPS) % FEATURES);
        }
        for (int i = 0; i < LOOKUPS; i++) {
            resolver.resolve(refs[i]); // warm the cache and the JIT
        }
        long s = System.nanoTime();
        long sink = 0;
        for (String ref : refs) {
            sink += resolver.resolve(ref).feature().name().length();
        }
        double cachedNs = (System.nanoTime() - s) / (double) LOOKUPS;
        for (int i = 0; i < 200; i++) {
            uncached(refs[i]);
        }
        s = System.nanoTime();
        for (int i = 0; i < UNCACHED_LOOKUPS; i++) {
            sink += uncached(refs[i * 37 % LOOKUPS]);
        }
        double uncachedNs = (System.nanoTime() - s) / (double) UNCACHED_LOOKUPS;
        System.out.printf("Resolve %d group.feature names, cached: %.0f ns each (%.1f M/s)%n", LOOKUPS, cachedNs, 1e3 / cachedNs);
        System.out.printf("Baseline uncached database lookup: %.0f us each -> cached is %.0fx faster%n%n",
                uncachedNs / 1e3, uncachedNs / cachedNs);
        if (sink == 0) {
            throw new IllegalStateException("lookups resolved nothing");
        }
    }

    private int uncached(String ref) {
        String[] parts = ref.split("\\.");
        return catalog.find(parts[0], 0).orElseThrow().feature(parts[1]).orElseThrow().name().length();
    }

    private void register() {
        String entity = "bench_customer";
        GraphQL.register(List.of(GraphQL.entity(entity, "customer_id", "BIGINT")), List.of());
        for (int start = 0; start < GROUPS; start += 50) {
            List<Map<String, Object>> groups = new ArrayList<>();
            for (int g = start; g < start + 50; g++) {
                List<Map<String, Object>> features = new ArrayList<>();
                for (int f = 0; f < FEATURES; f++) {
                    features.add(Map.of("name", String.format("f%02d", f), "type", f % 3 == 0 ? "DOUBLE" : f % 3 == 1 ? "BIGINT" : "STRING",
                            "description", "feature " + f + " of group " + g, "tags", List.of("t" + (f % 4))));
                }
                groups.add(GraphQL.with(GraphQL.group(String.format("bench_g%04d", g), entity, features),
                        "tags", List.of("bench"), "owner", "bench"));
            }
            GraphQL.register(List.of(), groups);
        }
    }

    /** Both pages over plain java.net.http, parsed with Jackson: REST Assured's GPath would dominate the timing. */
    private int listViaGraphQL() throws Exception {
        int features = 0;
        String after = null;
        do {
            Map<String, Object> vars = new HashMap<>();
            vars.put("after", after);
            HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(Map.of("query", PAGE, "variables", vars))))
                    .build();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode page = JSON.readTree(response.body()).path("data").path("featureGroups");
            for (JsonNode group : page.path("nodes")) {
                features += group.path("features").size();
            }
            after = page.path("pageInfo").path("hasNextPage").asBoolean() ? page.path("pageInfo").path("endCursor").asText() : null;
        } while (after != null);
        return features;
    }

    /** The same two pages read through the service layer only: what GraphQL execution adds is the difference. */
    private int listViaCatalog() {
        int features = 0;
        String after = null;
        FeatureGroupFilter filter = new FeatureGroupFilter(null, List.of("bench"), null, null, null, null, null);
        do {
            Page<FeatureGroup> page = catalog.groups(filter, 500, after);
            features += catalog.features(page.items()).values().stream().mapToInt(List::size).sum();
            after = page.hasNextPage() ? page.endCursor() : null;
        } while (after != null);
        return features;
    }

    private int listViaJdbc() throws Exception {
        int rows = 0;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT g.name, g.version, f.name, f.type_expr, f.feature_type, "
                        + "f.description, f.nullable FROM qv_feature_group g JOIN qv_feature f ON f.group_id = g.id "
                        + "JOIN qv_group_tag t ON t.group_id = g.id AND t.tag = 'bench' WHERE g.latest ORDER BY g.name, f.position");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows += rs.getString(3).length() > 0 ? 1 : 0;
            }
        }
        return rows;
    }

    private static double percentile(double[] samples, int p) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
