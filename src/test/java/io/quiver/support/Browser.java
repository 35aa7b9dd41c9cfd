package io.quiver.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs a scenario of src/test/browser/catalog.mjs: Playwright (playwright-core from npm) driving Debian's headless
 * Chromium against the running service. Returns what the scenario saw on the screen; its screenshots go to
 * target/browser-screenshots, its output to target/browser-screenshots/SCENARIO.log.
 */
public final class Browser {

    public static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");
    static final Path SCRIPTS = Path.of("src", "test", "browser");

    private Browser() {
    }

    public static Map<String, Object> run(String scenario, URI base, Map<String, Object> args) throws IOException, InterruptedException {
        String chromium = System.getenv().getOrDefault("QUIVER_CHROMIUM", "/usr/bin/chromium");
        if (!Files.isExecutable(Path.of(chromium))) {
            fail("the browser tests need Chromium at " + chromium + " (apt-get install chromium, or set QUIVER_CHROMIUM); .ci/run installs it");
        }
        if (!Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))) {
            fail("the browser tests need playwright-core: run `npm ci --prefix src/test/browser` (Node.js 18+); .ci/run does");
        }
        Files.createDirectories(SCREENSHOTS);
        Path log = SCREENSHOTS.resolve(scenario + ".log");
        String root = base.toString().replaceAll("/+$", "");
        Process p = new ProcessBuilder("node", "catalog.mjs", scenario, root, SCREENSHOTS.toAbsolutePath().toString(), new ObjectMapper().writeValueAsString(args))
                .directory(SCRIPTS.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("browser scenario " + scenario + " did not finish in 240 s; see " + log);
        }
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String result = lines.stream().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("browser scenario " + scenario + " printed no result (exit " + p.exitValue() + "): " + lines));
        Map<String, Object> seen = new ObjectMapper().readValue(result.substring(7), new TypeReference<Map<String, Object>>() {
        });
        assertThat(seen.get("failure")).as("scenario %s failed in the browser", scenario).isNull();
        assertThat((List<?>) seen.get("problems")).as("errors in the page during %s", scenario).isEmpty();
        return seen;
    }
}
