package io.quiver.api;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** Nested fields load in batches: the number of SQL statements does not grow with the number of groups. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class BatchLoadingTest {

    private static final String LISTING = """
            query($tag: String!, $first: Int!) {
              featureGroups(filter: {tags: [$tag]}, first: $first) {
                totalCount
                nodes {
                  name version mode tags versions entityKeys { name }
                  entities { name }
                  effectiveConfig { key value source }
                  features { name type tags sourceFeatures sourceDatasets effectiveConfig { key source } }
                }
              }
            }""";

    @Inject
    SessionFactory sessionFactory;

    /**
     * Statements one listing prepares: the fewest of three runs, since the statistics are the whole service's and
     * its scheduled work (leases, renewals, job ticks) may prepare a few of its own during any one of them.
     */
    private long statementsFor(String tag, int groups) {
        Statistics stats = sessionFactory.getStatistics();
        long fewest = Long.MAX_VALUE;
        for (int run = 0; run < 3; run++) {
            stats.clear();
            JsonPath json = ok(LISTING, Map.of("tag", tag, "first", groups));
            long prepared = stats.getPrepareStatementCount();
            assertThat(json.getList("data.featureGroups.nodes")).hasSize(groups);
            assertThat(json.getList("data.featureGroups.nodes[0].features")).hasSize(3);
            fewest = Math.min(fewest, prepared);
        }
        return fewest;
    }

    @Test
    void listingGroupsWithTheirFeaturesCostsAFixedNumberOfStatements() {
        String e = unique("cust");
        String tag = unique("n1");
        List<Map<String, Object>> groups = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            groups.add(with(group(String.format("%s_g%03d", tag, i), e, List.of(
                    with(feature("a", "DOUBLE"), "tags", List.of("x")),
                    with(feature("b", "STRING"), "sourceDatasets", List.of("silver.s")),
                    feature("c", "INT"))), "tags", List.of(tag)));
        }
        register(List.of(entity(e, "customer_id", "BIGINT")), groups);

        long forTen = statementsFor(tag, 10);
        long forHundred = statementsFor(tag, 100);

        assertThat(forHundred).as("statements for 100 groups").isLessThanOrEqualTo(15);
        assertThat(forHundred).as("statements for 100 groups vs for 10").isEqualTo(forTen);
    }
}
