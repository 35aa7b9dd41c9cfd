package io.quiver.embedded;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The embedded default, as the README's first command runs it (the dev profile: H2 registry, local object files,
 * in-memory online store, the demo), in a directory of its own. The parts that run SQL of their own on the registry
 * database are exercised on H2 here, since every other test runs on PostgreSQL: a schedule's ticks are claimed.
 */
@QuarkusTest
@TestProfile(EmbeddedDefaultTest.Embedded.class)
public class EmbeddedDefaultTest {

    public static class Embedded implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "dev";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("quiver-embedded");
                return Map.of(
                        "quarkus.datasource.jdbc.url", "jdbc:h2:file:" + dir.resolve("registry")
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                        "quiver.object-store.local-root", dir.resolve("objects").toString(),
                        "quarkus.http.test-port", "0");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Test
    void theDemoCatalogIsThereOnTheEmbeddedStores() {
        JsonPath groups = ok("{ featureGroups { nodes { name mode } } }", null);
        assertThat(groups.<String>getList("data.featureGroups.nodes.name")).contains("customer_profile", "transaction_features", "customer_360");
        JsonPath health = ok("{ onlineFeatures(features: [\"transaction_features.amount\"], entities: [{transaction_id: \"t-7\"}]) "
                + "{ columns { statuses } metadata { groups { source } } } }", null);
        assertThat(health.getString("data.onlineFeatures.metadata.groups[0].source")).isEqualTo("VIRTUAL");
    }

    @Test
    void aFeatureServiceIsRegisteredAndServedOnH2() {
        String name = unique("embedded_svc");
        ok("mutation($s: [FeatureServiceInput!]) { register(featureServices: $s) { featureServices { action } } }",
                Map.of("s", List.of(Map.of("name", name, "features", List.of("customer_profile", "customer_360.avg_ticket")))));
        JsonPath read = ok("query($s: String) { onlineFeatures(featureService: $s, entities: [{customer_id: 7}]) { columns { name } metadata { featureService } } }",
                Map.of("s", name));
        assertThat(read.getString("data.onlineFeatures.metadata.featureService")).isEqualTo(name + "@1");
        assertThat(read.<String>getList("data.onlineFeatures.columns.name")).containsExactly("customer_id", "age", "region", "signup_date",
                "segment", "avg_ticket");
        assertThat(ok("{ lineage(feature: \"customer_profile.age\") { featureServices } }", null).<String>getList("data.lineage.featureServices"))
                .contains(name + "@1");
    }

    @Test
    void aScheduleRunsItsTicksOnH2() throws Exception {
        String e = unique("user");
        String g = unique("sched");
        register(List.of(entity(e, "user_id", "BIGINT")), List.of(with(group(g, e, List.of(feature("score", "DOUBLE"))),
                "materializationSchedule", "0/1 * * * * ?")));
        String jobs = "query($g: String!) { materializationJobs(group: $g) { trigger status error } }";
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Map<String, Object>> seen;
        do {
            assertThat(System.nanoTime()).as("a scheduled job of %s", g).isLessThan(deadline);
            Thread.sleep(200);
            seen = ok(jobs, Map.of("g", g)).getList("data.materializationJobs");
        } while (seen.stream().filter(j -> "SUCCEEDED".equals(j.get("status"))).count() < 2);
        assertThat(seen).allSatisfy(j -> assertThat(j.get("trigger")).isEqualTo("SCHEDULE"))
                .noneSatisfy(j -> assertThat(j.get("status")).isEqualTo("FAILED"));
        register(List.of(), List.of(group(g, e, List.of(feature("score", "DOUBLE")))));
    }
}
