package io.quiver.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quiver.error.ValidationRule;

/** docs/architecture.md stays true to the code: its rule list is the enum's, and every class or test it names exists. */
class DocumentationTest {

    private static final Path DOC = Path.of("docs", "architecture.md");
    /** Names the document uses that are not classes of ours (libraries, GraphQL types, tools). */
    private static final Set<String> NOT_OURS = Set.of("ObjectMapper", "ObjectMapperCustomizer", "ArchUnit", "GraphiQL", "ManagedExecutor",
            "QuarkusTest", "PostgreSQL", "DuckDB", "MinIO", "S3Proxy", "OpenAPI", "SmallRye", "BigDecimal", "BigInteger");

    @Test
    void theListOfValidationRulesIsTheEnum() throws IOException {
        String doc = Files.readString(DOC);
        String list = doc.substring(doc.indexOf("<!-- rules: begin -->"), doc.indexOf("<!-- rules: end -->"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("`([A-Z][A-Z_]+)`").matcher(list);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).isEqualTo(Arrays.stream(ValidationRule.values()).map(Enum::name).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void everyClassTheDocumentNamesExists() throws IOException {
        Set<String> classes;
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src", "main", "java")), Files.walk(Path.of("src", "test", "java")))) {
            classes = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java")).map(n -> n.substring(0, n.length() - 5))
                    .collect(Collectors.toSet());
        }
        Set<String> named = new LinkedHashSet<>();
        // `ClassName`, `ClassName.method` or `package.ClassName`: CamelCase with at least two humps
        Matcher m = Pattern.compile("`(?:[a-z]+\\.)*([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)(?:\\.[a-zA-Z]+)?(?:\\(\\))?`").matcher(Files.readString(DOC));
        while (m.find()) {
            named.add(m.group(1));
        }
        assertThat(named).as("classes named in docs/architecture.md").isNotEmpty();
        assertThat(named.stream().filter(n -> !classes.contains(n) && !NOT_OURS.contains(n)).toList()).isEmpty();
    }
}
