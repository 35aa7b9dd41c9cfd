package io.quiver.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The catalog's page logic (version changes, references, snippets, roles, the lineage DOT) under node --test. */
class CatalogLogicTest {

    @Test
    void thePageLogicPassesItsNodeTests() throws Exception {
        Process p = new ProcessBuilder("node", "--test", "logic.test.mjs").directory(Path.of("src", "test", "browser").toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("# pass 6").contains("# fail 0");
    }
}
