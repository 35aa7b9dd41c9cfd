package io.quiver.catalog;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static io.quiver.support.GraphQL.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quiver.embedded.EmbeddedDefaultTest;
import io.quiver.support.Browser;

/**
 * The catalog on the embedded default (H2, local files, in-memory online store), as the README's first command runs
 * it: the demo's pages draw their statistics, lineage graph, access chart and an online lookup; and with 1,000 more
 * groups registered, the first page of results shows, is keyboard navigable and fits a phone's width. The time to
 * first results is printed and kept in target/browser-screenshots/first-paint.txt (recorded in docs/performance.md,
 * never asserted).
 */
@QuarkusTest
@TestProfile(CatalogFirstPaintTest.EmbeddedCatalog.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the demo's pages first: their screenshots show the demo alone
class CatalogFirstPaintTest {

    /** The embedded default in a database of its own: the 1,000 groups registered here must not reach EmbeddedDefaultTest. */
    public static class EmbeddedCatalog extends EmbeddedDefaultTest.Embedded {
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    @Order(1)
    void theDemoPagesDrawTheirDataChartsAndGraphs() throws Exception {
        Map<String, Object> seen = Browser.run("demoPages", base, Map.of("group", "customer_profile", "hybrid", "customer_360",
                "feature", "customer_profile.age", "key", "customer_id", "keyValue", 7));
        assertThat((String) seen.get("demoGroups")).isEqualTo("4 groups");
        assertThat(((Number) seen.get("phoneGroupOverflowPx")).intValue()).isLessThanOrEqualTo(0);
        assertThat(((Number) seen.get("phoneFeatureOverflowPx")).intValue()).isLessThanOrEqualTo(0);
        assertThat((String) seen.get("hybridStrategy")).contains("HYBRID").contains("served");
        assertThat((String) seen.get("sources")).contains("transactions").contains("SILVER").contains("PARQUET");
        // a materialization started from the page, followed live over the GraphQL WebSocket
        assertThat((String) seen.get("progress")).contains("SUCCEEDED").contains("rows read");
        assertThat((String) seen.get("materialized")).contains("succeeded").contains("200 rows read");
        assertThat((String) seen.get("jobs")).contains("SUCCEEDED");
        assertThat((List<?>) seen.get("sockets")).anyMatch(u -> u.toString().endsWith("/graphql"));
        assertThat(((Number) seen.get("lineageNodes")).intValue()).isGreaterThanOrEqualTo(6); // source, group, 4 features
        assertThat((String) seen.get("nullRate")).isEqualTo("4 % (8 nulls)"); // every 25th of the 200 demo customers
        assertThat((String) seen.get("lookup")).contains("age").contains("PRESENT");
    }

    @Test
    @Order(3)
    void thePageRunsOnlyItsOwnScriptsAndTheImportMapItsPolicyNames() throws Exception {
        io.restassured.response.Response page = io.restassured.RestAssured.given().when().get("/").then().statusCode(200).extract().response();
        String csp = page.header("Content-Security-Policy");
        String body = page.asString();
        String importMap = body.substring(body.indexOf("<script type=\"importmap\">") + "<script type=\"importmap\">".length(),
                body.indexOf("</script>", body.indexOf("<script type=\"importmap\">")));
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        String hash = java.util.Base64.getEncoder().encodeToString(sha.digest(importMap.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(csp).contains("script-src 'self' 'sha256-" + hash + "'").contains("frame-ancestors 'none'").doesNotContain(" 'unsafe-eval'")
                .doesNotContain("script-src 'self' 'unsafe-inline'");
        assertThat(body).contains("<qv-app>").contains("\"lit\":\"/_static/lit/");
        // one inline script only: the import map
        assertThat(body.split("<script").length - 1).isEqualTo(2);
        assertThat(body).contains("<script type=\"module\" src=\"/catalog/app.js\">");
    }

    @Test
    @Order(2)
    void theFirstPageOfAThousandGroupsShowsAndIsKeyboardNavigable() throws Exception {
        String entity = unique("paint");
        for (int batch = 0; batch < 10; batch++) {
            List<Map<String, Object>> groups = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                groups.add(with(group(unique("paint" + batch + "_" + i), entity, List.of(feature("f", "INT"), feature("g", "STRING"))),
                        "description", "Group " + (batch * 100 + i) + " of the first-paint test", "tags", List.of("paint")));
            }
            register(batch == 0 ? List.of(entity(entity, "id", "BIGINT")) : List.of(), groups);
        }
        Map<String, Object> seen = Browser.run("firstPaint", base, Map.of());
        int total = Integer.parseInt(((String) seen.get("count")).replaceAll("[^0-9].*", ""));
        assertThat(total).isGreaterThanOrEqualTo(1_004);
        assertThat(((Number) seen.get("shown")).intValue()).isEqualTo(25);
        assertThat((String) seen.get("focused")).startsWith("#/group/");
        assertThat((String) seen.get("afterEnter")).isEqualTo(seen.get("focused"));
        assertThat(((Number) seen.get("phoneOverflowPx")).intValue()).isLessThanOrEqualTo(0);
        String line = String.format("first results after %.0f ms (first contentful paint %.0f ms, DOM ready %.0f ms, GraphQL requests %s ms; three visits %s ms) "
                + "with %d groups", ((Number) seen.get("firstResultsMs")).doubleValue(), ((Number) seen.get("firstContentfulPaintMs")).doubleValue(),
                ((Number) seen.get("domContentLoadedMs")).doubleValue(), seen.get("graphqlMs"), seen.get("visitsMs"), total);
        System.out.println("catalog first paint: " + line);
        Files.writeString(Browser.SCREENSHOTS.resolve("first-paint.txt"), line + "\n");
    }
}
