package io.quiver.api.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quiver.config.QuiverConfig;
import io.quiver.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Serves the feature catalog's page at {@code /}: the shell of a single-page application whose ES modules live under
 * {@code /catalog/} and whose libraries (lit, echarts, viz-js) come from mvnpm jars, which Quarkus serves from their
 * {@code META-INF/resources/_static/}. Each of those jars names its modules in {@code META-INF/importmap.json}; the
 * page carries them merged into one import map, so the versions are the ones the build resolved. The page holds no
 * data: every view asks the public GraphQL API, with the API key the person enters.
 */
@ApplicationScoped
public class CatalogPage {

    static final String TEMPLATE = "catalog/index.html";
    static final String IMPORT_MAPS = "META-INF/importmap.json";

    private final boolean enabled;

    public CatalogPage(QuiverConfig config) {
        this.enabled = config.api().catalog();
    }

    void route(@Observes Router router) {
        if (!enabled) {
            return;
        }
        Map<String, String> imports = importMap();
        String importMap = Json.write(Map.of("imports", imports));
        String html = template().replace("{{importmap}}", importMap).replace("{{preload}}", preloads(imports));
        // the one inline script is the import map: allowed by its hash, so no other inline script runs
        String csp = "default-src 'self'; script-src 'self' 'sha256-" + sha256(importMap) + "' 'wasm-unsafe-eval'; "
                + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
        router.get("/").order(-10).handler(rc -> rc.response()
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("Content-Security-Policy", csp)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(html));
    }

    /**
     * Preload links for the modules every page needs, so the browser fetches them at once instead of discovering
     * them import by import: the catalog's own and lit's.
     */
    static String preloads(Map<String, String> imports) {
        StringBuilder out = new StringBuilder();
        for (String own : List.of("api.js", "util.js", "search.js", "group.js", "feature.js", "graph.js", "charts.js")) {
            out.append("<link rel=\"modulepreload\" href=\"/catalog/").append(own).append("\">\n");
        }
        for (String bare : List.of("lit", "lit-html", "@lit/reactive-element", "lit-element/lit-element.js", "lit-html/is-server.js",
                "@lit/reactive-element/css-tag.js")) {
            String path = imports.get(bare);
            if (path == null && bare.contains("/")) {
                String prefix = imports.get(bare.substring(0, bare.lastIndexOf('/') + 1));
                path = prefix == null ? null : prefix + bare.substring(bare.lastIndexOf('/') + 1);
            }
            if (path != null) {
                out.append("<link rel=\"modulepreload\" href=\"").append(path).append("\">\n");
            }
        }
        return out.toString();
    }

    /** Every mvnpm jar's import map, merged: bare module names to their versioned paths. */
    static Map<String, String> importMap() {
        Map<String, String> imports = new TreeMap<>();
        try {
            for (URL url : Collections.list(Thread.currentThread().getContextClassLoader().getResources(IMPORT_MAPS))) {
                try (InputStream in = url.openStream()) {
                    Map<String, Map<String, String>> one = Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8),
                            new TypeReference<Map<String, Map<String, String>>>() {
                            });
                    imports.putAll(one.getOrDefault("imports", Map.of()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the catalog's import maps", e);
        }
        return imports;
    }

    private static String template() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE + " is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
