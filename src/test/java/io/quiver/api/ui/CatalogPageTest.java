package io.quiver.api.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The catalog page's import map comes from the mvnpm jars on the classpath; its preload links from that map. */
class CatalogPageTest {

    @Test
    void theImportMapNamesEveryLibraryThePagesImportAtTheResolvedVersions() {
        Map<String, String> map = CatalogPage.importMap();
        assertThat(map).containsKeys("lit", "lit-html", "lit-html/", "lit-element/", "@lit/reactive-element", "echarts/dist/", "@viz-js/viz");
        assertThat(map.get("lit")).matches("/_static/lit/[0-9.]+/index.js");
        assertThat(map.get("@viz-js/viz")).matches("/_static/viz/[0-9.]+/dist/viz.js");
        // every path is served from a jar on the classpath
        for (String path : new String[] { map.get("lit"), map.get("lit-html"), map.get("@lit/reactive-element"), map.get("@viz-js/viz"),
                map.get("echarts/dist/") + "echarts.esm.min.js" }) {
            assertThat(Thread.currentThread().getContextClassLoader().getResource("META-INF/resources" + path)).as(path).isNotNull();
        }
    }

    @Test
    void preloadsCoverThePagesModulesAndLitsWithoutUnknownNames() {
        String links = CatalogPage.preloads(CatalogPage.importMap());
        assertThat(links).contains("href=\"/catalog/group.js\"").contains("/lit-element.js\"").contains("/is-server.js\"")
                .contains("/css-tag.js\"").doesNotContain("null");
        assertThat(links.lines().count()).isEqualTo(13);
        links.lines().filter(l -> l.contains("/_static/")).forEach(l -> assertThat(Thread.currentThread().getContextClassLoader()
                .getResource("META-INF/resources" + l.replaceAll(".*href=\"([^\"]+)\".*", "$1"))).as(l).isNotNull());
    }

    @Test
    void theInlineScriptIsAllowedByItsHash() {
        // sha256("") is well known; the CSP names the import map's hash in this form
        assertThat(CatalogPage.sha256("")).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    }
}
