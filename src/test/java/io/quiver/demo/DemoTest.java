package io.quiver.demo;

import static io.quiver.support.GraphQL.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.OwnDatabaseResource;
import io.quiver.support.OwnS3Resource;
import io.quiver.support.RedisTestResource;
import io.restassured.path.json.JsonPath;

/**
 * The demo as a first run sees it, over an empty registry of its own and a real S3 server: the lake is written and
 * its data sources registered, the catalog loads (its virtual groups' templates checked against that lake), and every
 * GraphQL example in the README answers without errors, as written.
 */
@QuarkusTest
@WithTestResource(value = OwnDatabaseResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS,
        initArgs = @ResourceArg(name = "name", value = "quiver_demo_test"))
@WithTestResource(value = OwnS3Resource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = DemoTest.DemoEnabled.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class DemoTest {

    /** Turns the demo on, as the dev profile does. */
    public static class DemoEnabled implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of("quiver.demo.enabled", "true");
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void theDemoLakeIsRegisteredWithItsSchema() {
        JsonPath sources = ok("{ dataSources { name layer files rowEstimate version columns { name type } } }", null);
        assertEquals(List.of("customers", "transactions", "transactions_raw"), sources.getList("data.dataSources.name").stream().sorted().toList());
        int transactions = sources.getList("data.dataSources.name").indexOf("transactions");
        assertTrue(sources.getInt("data.dataSources[" + transactions + "].files") > 30, "a file per day partition");
        int estimate = sources.getInt("data.dataSources[" + transactions + "].rowEstimate");
        assertTrue(Math.abs(estimate - 4000) < 400, "estimated from a sample of the files, near the 4,000 written: " + estimate);
        assertTrue(sources.getList("data.dataSources[" + transactions + "].columns.name").contains("amount"));
    }

    @Test
    void everyGraphQLExampleInTheReadmeAnswersAsWritten() throws IOException {
        List<String> examples = readmeGraphQL();
        assertTrue(examples.size() >= 6, "the README shows its examples: " + examples);
        for (String example : examples) {
            JsonPath answer = ok(example, null);
            assertFalse(answer.getMap("data").isEmpty(), example);
        }
    }

    @Test
    void theVirtualExamplesAreServedFromTheLake() {
        JsonPath online = ok("{ onlineFeatures(features: [\"transaction_features.amount\", \"transaction_features.amount_vs_avg_ticket\"], "
                + "entities: [{transaction_id: \"t-7\"}]) { columns { name values statuses } metadata { groups { group source } } } }", null);
        assertEquals(List.of("PRESENT"), online.getList("data.onlineFeatures.columns[1].statuses"));
        assertEquals("VIRTUAL", online.getString("data.onlineFeatures.metadata.groups[0].source"));
        JsonPath table = ok("{ queryVirtualTable(table: \"features_customer_360\", predicates: [{column: \"customer_id\", op: EQ, values: [7]}], "
                + "orderBy: [{column: \"event_timestamp\", descending: true}], limit: 3) }", null);
        List<Map<String, Object>> rows = table.getList("data.queryVirtualTable");
        assertFalse(rows.isEmpty(), "customer 7 bought something in 60 days");
        rows.forEach(r -> assertEquals(7, ((Number) r.get("customer_id")).intValue()));
    }

    @Test
    void theHybridDemoGroupIsMaterializedOnceHotAndSaysWhy() throws InterruptedException {
        String read = "{ onlineFeatures(features: [\"customer_360.avg_ticket\"], entities: [{customer_id: 7}]) { columns { values } "
                + "metadata { groups { source } } } }";
        Object value = ok(read, null).getList("data.onlineFeatures.columns[1].values").get(0);
        for (int i = 0; i < 5; i++) {
            ok(read, null);
        }
        JsonPath decided = ok("mutation { evaluateStrategy(group: \"customer_360\") { decided reason } }", null);
        assertEquals("MATERIALIZED", decided.getString("data.evaluateStrategy.decided"));
        assertTrue(decided.getString("data.evaluateStrategy.reason").startsWith("MATERIALIZED: hot"), decided.prettify());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!"MATERIALIZED".equals(ok("{ featureGroup(name: \"customer_360\") { servedAs } }", null).getString("data.featureGroup.servedAs"))) {
            assertTrue(System.nanoTime() < deadline, "customer_360 filled within 60 s");
            Thread.sleep(100);
        }
        JsonPath stored = ok(read, null);
        assertEquals("ONLINE", stored.getString("data.onlineFeatures.metadata.groups[0].source"));
        assertEquals(value, stored.getList("data.onlineFeatures.columns[1].values").get(0));
        JsonPath recs = ok("{ recommendations { group recommended reason } }", null);
        assertTrue(recs.<String>getList("data.recommendations.group").containsAll(List.of("customer_360", "customer_profile")));
    }

    /** The one-line GraphQL documents of the README's graphql blocks. */
    private static List<String> readmeGraphQL() throws IOException {
        List<String> documents = new ArrayList<>();
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith("```")) {
                inside = line.equals("```graphql");
            } else if (inside && !line.isBlank()) {
                documents.add(line);
            }
        }
        return documents;
    }
}
