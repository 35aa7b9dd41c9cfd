package io.quiver.api;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.Race;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;

/** Clients registering the same group at the same moment never produce duplicate or skipped versions. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class ConcurrentRegistrationTest {

    private static final int CLIENTS = 8;

    @Test
    void identicalConcurrentRegistrationsCreateOneVersion() throws Exception {
        String e = unique("cust");
        String name = unique("race");
        List<Callable<JsonPath>> calls = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            calls.add(() -> register(List.of(entity(e, "customer_id", "BIGINT")),
                    List.of(group(name, e, List.of(feature("amount", "DOUBLE"))))));
        }
        List<JsonPath> results = Race.run(calls);

        assertThat(results).allSatisfy(r -> assertThat(r.getInt("data.register.groups[0].group.version")).isEqualTo(1));
        assertThat(results).filteredOn(r -> "CREATED".equals(r.getString("data.register.groups[0].action"))).hasSize(1);
        assertThat(results).filteredOn(r -> "UNCHANGED".equals(r.getString("data.register.groups[0].action"))).hasSize(CLIENTS - 1);
        assertThat(results).filteredOn(r -> "CREATED".equals(r.getString("data.register.entities[0].action"))).hasSize(1);
        assertThat(versions(name)).containsExactly(1);
    }

    @Test
    void concurrentBreakingChangesGetConsecutiveVersions() throws Exception {
        String e = unique("cust");
        String name = unique("race");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("f0", "DOUBLE")))));

        List<Callable<JsonPath>> calls = new ArrayList<>();
        for (int i = 1; i <= CLIENTS; i++) {
            String only = "f" + i; // each client removes f0 and adds its own feature: breaking, and all different
            calls.add(() -> register(List.of(), List.of(group(name, e, List.of(feature(only, "DOUBLE"))))));
        }
        List<JsonPath> results = Race.run(calls);

        List<Integer> created = results.stream().map(r -> r.getInt("data.register.groups[0].group.version")).sorted().toList();
        assertThat(created).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(versions(name)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(ok("query($n: String!) { featureGroups(filter: {search: $n, allVersions: true}, first: 50) { nodes { latest } } }",
                Map.of("n", name)).getList("data.featureGroups.nodes.latest")).containsOnlyOnce(true);
    }

    private static List<Integer> versions(String name) {
        return ok("query($n: String!) { featureGroup(name: $n) { versions } }", Map.of("n", name)).getList("data.featureGroup.versions");
    }
}
