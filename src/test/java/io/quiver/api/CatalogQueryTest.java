package io.quiver.api;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.failing;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.ok;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import io.restassured.path.json.JsonPath;

/** The catalog's read side: cursor paging, filters, entities, lineage, deprecation and deletion. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class CatalogQueryTest {

    private static final String GROUPS = """
            query($filter: FeatureGroupFilter, $first: Int!, $after: String) {
              featureGroups(filter: $filter, first: $first, after: $after) {
                totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name version } }
                nodes { name version mode owner status tags }
              }
            }""";

    private static final String FEATURES = """
            query($filter: FeatureFilter, $first: Int!, $after: String) {
              features(filter: $filter, first: $first, after: $after) {
                totalCount pageInfo { hasNextPage endCursor } nodes { group groupVersion name dataType featureType tags }
              }
            }""";

    private String entityName;
    private String tag;

    @BeforeEach
    void setUp() {
        entityName = unique("user");
        tag = unique("t");
        register(List.of(entity(entityName, "user_id", "BIGINT")), List.of());
    }

    private JsonPath groups(Map<String, Object> filter, int first, String after) {
        return page(GROUPS, filter, first, after);
    }

    private JsonPath features(Map<String, Object> filter, int first, String after) {
        return page(FEATURES, filter, first, after);
    }

    private static JsonPath page(String query, Map<String, Object> filter, int first, String after) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("filter", filter);
        vars.put("first", first);
        vars.put("after", after);
        return ok(query, vars);
    }

    @Test
    void cursorPagingWalksEveryGroupOnceInNameOrder() {
        List<String> names = new ArrayList<>();
        List<Map<String, Object>> defs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String name = "page_" + tag + "_" + i;
            names.add(name);
            defs.add(with(group(name, entityName, List.of(feature("x", "DOUBLE"))), "tags", List.of(tag)));
        }
        register(List.of(), defs);

        Map<String, Object> filter = Map.of("tags", List.of(tag));
        List<String> seen = new ArrayList<>();
        String after = null;
        int pages = 0;
        boolean hasNext = true;
        while (hasNext) {
            JsonPath page = groups(filter, 3, after);
            assertThat(page.getLong("data.featureGroups.totalCount")).isEqualTo(7);
            seen.addAll(page.getList("data.featureGroups.nodes.name"));
            assertThat(page.getList("data.featureGroups.edges.node.name"))
                    .isEqualTo(page.getList("data.featureGroups.nodes.name"));
            hasNext = page.getBoolean("data.featureGroups.pageInfo.hasNextPage");
            after = page.getString("data.featureGroups.pageInfo.endCursor");
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(names);
    }

    @Test
    void groupFiltersNarrowTheListing() {
        String other = unique("device");
        register(List.of(entity(other, "device_id", "STRING")), List.of());
        String a = "fa_" + tag;
        String b = "fb_" + tag;
        String c = "fc_" + tag;
        register(List.of(), List.of(
                with(group(a, entityName, List.of(feature("spend", "DOUBLE"))), "tags", List.of(tag, "gold"),
                        "owner", "risk", "mode", "MATERIALIZED", "description", "Searchable Needle"),
                with(group(b, other, List.of(feature("clicks", "INT"))), "tags", List.of(tag), "owner", "growth", "mode", "HYBRID"),
                with(group(c, entityName, List.of(feature("needle_feature", "INT"))), "tags", List.of(tag, "gold"), "owner", "risk")));

        assertThat(names(groups(Map.of("tags", List.of(tag)), 50, null))).containsExactly(a, b, c);
        assertThat(names(groups(Map.of("tags", List.of(tag, "gold")), 50, null))).containsExactly(a, c);
        assertThat(names(groups(Map.of("tags", List.of(tag), "owner", "growth"), 50, null))).containsExactly(b);
        assertThat(names(groups(Map.of("tags", List.of(tag), "mode", "HYBRID"), 50, null))).containsExactly(b);
        // Its own mode, or none of its own: follows the global default, MATERIALIZED.
        assertThat(names(groups(Map.of("tags", List.of(tag), "mode", "MATERIALIZED"), 50, null))).containsExactly(a, c);
        assertThat(names(groups(Map.of("tags", List.of(tag), "entity", other), 50, null))).containsExactly(b);
        // Search matches the description (any case) and feature names.
        assertThat(names(groups(Map.of("tags", List.of(tag), "search", "NEEDLE"), 50, null))).containsExactly(a, c);
        assertThat(groups(Map.of("tags", List.of(tag), "owner", "nobody"), 50, null).getLong("data.featureGroups.totalCount")).isZero();
    }

    @Test
    void allVersionsListsOlderVersionsToo() {
        String name = "ver_" + tag;
        register(List.of(), List.of(with(group(name, entityName, List.of(feature("x", "DOUBLE"))), "tags", List.of(tag))));
        register(List.of(), List.of(with(group(name, entityName, List.of(feature("x", "STRING"))), "tags", List.of(tag))));

        JsonPath latest = groups(Map.of("tags", List.of(tag)), 10, null);
        assertThat(latest.getList("data.featureGroups.nodes.version")).containsExactly(2);
        JsonPath all = groups(Map.of("tags", List.of(tag), "allVersions", true), 1, null);
        assertThat(all.getLong("data.featureGroups.totalCount")).isEqualTo(2);
        assertThat(all.getList("data.featureGroups.nodes.version")).containsExactly(2);
        JsonPath second = groups(Map.of("tags", List.of(tag), "allVersions", true), 1,
                all.getString("data.featureGroups.pageInfo.endCursor"));
        assertThat(second.getList("data.featureGroups.nodes.version")).containsExactly(1);
        assertThat(second.getBoolean("data.featureGroups.pageInfo.hasNextPage")).isFalse();
    }

    @Test
    void featureFiltersAndPaging() {
        String g1 = "fx_" + tag;
        String g2 = "fy_" + tag;
        register(List.of(), List.of(
                group(g1, entityName, List.of(with(feature("amount", "DOUBLE"), "tags", List.of(tag)),
                        with(feature("country", "STRING"), "tags", List.of(tag), "description", "ISO country"),
                        with(feature("vec", "ARRAY<DOUBLE>"), "tags", List.of(tag)))),
                group(g2, entityName, List.of(with(feature("balance", "DECIMAL(10,2)"), "tags", List.of(tag, "money"))))));

        Map<String, Object> byTag = Map.of("tags", List.of(tag));
        JsonPath all = features(byTag, 2, null);
        assertThat(all.getLong("data.features.totalCount")).isEqualTo(4);
        assertThat(all.getList("data.features.nodes.name")).containsExactly("amount", "country");
        JsonPath rest = features(byTag, 2, all.getString("data.features.pageInfo.endCursor"));
        assertThat(rest.getList("data.features.nodes.name")).containsExactly("vec", "balance");
        assertThat(rest.getBoolean("data.features.pageInfo.hasNextPage")).isFalse();

        assertThat(features(with(byTag, "group", g2), 10, null).getList("data.features.nodes.name")).containsExactly("balance");
        assertThat(features(with(byTag, "dataType", "DOUBLE"), 10, null).getList("data.features.nodes.name")).containsExactly("amount");
        assertThat(features(with(byTag, "featureType", "VECTOR"), 10, null).getList("data.features.nodes.name")).containsExactly("vec");
        assertThat(features(with(byTag, "featureType", "CATEGORICAL"), 10, null).getList("data.features.nodes.name")).containsExactly("country");
        assertThat(features(with(byTag, "search", "iso"), 10, null).getList("data.features.nodes.name")).containsExactly("country");
        assertThat(features(Map.of("tags", List.of(tag, "money")), 10, null).getList("data.features.nodes.group")).containsExactly(g2);
    }

    @Test
    void lineageIsQueryableBothWays() {
        String raw = "raw_" + tag;
        String derived = "derived_" + tag;
        String dataset = "silver.events_" + tag;
        register(List.of(), List.of(
                group(raw, entityName, List.of(with(feature("clicks", "INT"), "sourceDatasets", List.of(dataset)))),
                group(derived, entityName, List.of(with(feature("ctr", "DOUBLE"),
                        "sourceFeatures", List.of(raw + ".clicks"), "sourceDatasets", List.of("gold.impressions"))))));

        JsonPath up = ok("query($f: String) { lineage(feature: $f) { node kind upstreamFeatures upstreamDatasets downstreamFeatures } }",
                Map.of("f", derived + ".ctr"));
        assertThat(up.getList("data.lineage.upstreamFeatures")).containsExactly(raw + ".clicks");
        assertThat(up.getList("data.lineage.upstreamDatasets")).containsExactly("gold.impressions");
        assertThat(up.getList("data.lineage.downstreamFeatures")).isEmpty();

        JsonPath down = ok("query($f: String) { lineage(feature: $f) { node downstreamFeatures } }", Map.of("f", raw + ".clicks"));
        assertThat(down.getString("data.lineage.node")).isEqualTo(raw + "@1.clicks");
        assertThat(down.getList("data.lineage.downstreamFeatures")).containsExactly(derived + "@1.ctr");

        JsonPath fromDataset = ok("query($d: String) { lineage(dataset: $d) { kind downstreamFeatures } }", Map.of("d", dataset));
        assertThat(fromDataset.getString("data.lineage.kind")).isEqualTo("DATASET");
        assertThat(fromDataset.getList("data.lineage.downstreamFeatures")).containsExactly(raw + "@1.clicks");

        assertThat(failing("{ lineage { node } }", Map.of()).getString("errors[0].extensions.code")).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void deprecationKeepsVersionsReadable() {
        String name = "dep_" + tag;
        register(List.of(), List.of(with(group(name, entityName, List.of(feature("x", "DOUBLE"))), "tags", List.of(tag))));
        JsonPath result = ok("mutation($n: String!) { deprecateFeatureGroup(name: $n) { name version status } }", Map.of("n", name));
        assertThat(result.getList("data.deprecateFeatureGroup.status")).containsExactly("DEPRECATED");
        assertThat(names(groups(Map.of("tags", List.of(tag), "status", "DEPRECATED"), 10, null))).containsExactly(name);
        assertThat(names(groups(Map.of("tags", List.of(tag), "status", "ACTIVE"), 10, null))).isEmpty();
        assertThat(GraphQLQueries.groupByName(name).getInt("data.featureGroup.version")).isEqualTo(1);
    }

    @Test
    void deletingTheLatestVersionMakesThePreviousOneLatest() {
        String name = "del_" + tag;
        register(List.of(), List.of(group(name, entityName, List.of(feature("x", "DOUBLE")))));
        register(List.of(), List.of(group(name, entityName, List.of(feature("x", "INT")))));

        JsonPath deleted = ok("mutation($n: String!) { deleteFeatureGroup(name: $n, version: 2) { deletedVersions latestVersion } }",
                Map.of("n", name));
        assertThat(deleted.getList("data.deleteFeatureGroup.deletedVersions")).containsExactly(2);
        assertThat(deleted.getInt("data.deleteFeatureGroup.latestVersion")).isEqualTo(1);
        JsonPath g = ok("query($n: String!) { featureGroup(name: $n) { version latest versions features { type } } }", Map.of("n", name));
        assertThat(g.getInt("data.featureGroup.version")).isEqualTo(1);
        assertThat(g.getBoolean("data.featureGroup.latest")).isTrue();
        assertThat(g.getList("data.featureGroup.features.type")).containsExactly("DOUBLE");

        ok("mutation($n: String!) { deleteFeatureGroup(name: $n) { deletedVersions } }", Map.of("n", name));
        assertThat(GraphQLQueries.groupByName(name).getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");
    }

    @Test
    void deletingALineageSourceIsRefusedUnlessForced() {
        String source = "src_" + tag;
        String user = "usr_" + tag;
        register(List.of(), List.of(group(source, entityName, List.of(feature("a", "DOUBLE"))),
                group(user, entityName, List.of(with(feature("b", "DOUBLE"), "sourceFeatures", List.of(source + ".a"))))));

        JsonPath refused = failing("mutation($n: String!) { deleteFeatureGroup(name: $n) { deletedVersions } }", Map.of("n", source));
        assertThat(refused.getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_IN_USE");
        assertThat(refused.getString("errors[0].message")).contains(user + "@1.b");
        assertThat(GraphQLQueries.groupByName(source).getInt("data.featureGroup.version")).isEqualTo(1);

        ok("mutation($n: String!) { deleteFeatureGroup(name: $n, force: true) { deletedVersions } }", Map.of("n", source));
        assertThat(GraphQLQueries.groupByName(source).getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");
    }

    @Test
    void deletingAnUnknownGroupIsNotFound() {
        assertThat(failing("mutation { deleteFeatureGroup(name: \"never_registered_x\") { deletedVersions } }", Map.of())
                .getString("errors[0].extensions.code")).isEqualTo("FEATURE_GROUP_NOT_FOUND");
    }

    private static List<String> names(JsonPath page) {
        return page.getList("data.featureGroups.nodes.name");
    }
}
