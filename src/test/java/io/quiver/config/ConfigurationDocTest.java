package io.quiver.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * docs/configuration.md lists every {@code quiver.*} property of {@link QuiverConfig}, with its environment variable,
 * default and the Javadoc of its method, generated from the interface and its source: a property added, renamed or
 * re-documented without the table following fails here. {@code -DwriteConfigDoc=true} rewrites the file.
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("docs", "configuration.md");
    private static final Path SOURCE = Path.of("src", "main", "java", "io", "quiver", "config", "QuiverConfig.java");

    record Property(String name, String type, String defaultValue, String description) {
    }

    @Test
    void theConfigurationTableIsCurrent() throws Exception {
        Map<String, String> docs = javadocs(Files.readString(SOURCE));
        List<Property> properties = new ArrayList<>();
        collect(QuiverConfig.class, "quiver.", docs, properties);
        properties.sort(Comparator.comparing(Property::name));
        assertThat(properties).hasSizeGreaterThan(50).allSatisfy(p -> assertThat(p.description()).as("Javadoc of %s", p.name()).isNotBlank());

        StringBuilder out = new StringBuilder("""
                # Configuration

                Every `quiver.*` property, generated from `QuiverConfig` by `ConfigurationDocTest` (which fails when this
                file is out of date; `-DwriteConfigDoc=true` rewrites it). Each can be set in `application.properties`, as a
                system property, or as the environment variable shown. Quarkus' own settings (`quarkus.datasource.*`,
                `quarkus.redis.*`, `quarkus.http.*`) are in the Quarkus guides; the README names the ones Quiver needs.

                | property | environment variable | type | default | what it does |
                |---|---|---|---|---|
                """);
        for (Property p : properties) {
            out.append("| `").append(p.name()).append("` | `").append(env(p.name())).append("` | ").append(p.type()).append(" | ")
                    .append(p.defaultValue()).append(" | ").append(p.description().replace("|", "\\|")).append(" |\n");
        }
        String table = out.toString();
        if (Boolean.getBoolean("writeConfigDoc")) {
            Files.writeString(DOC, table);
        }
        assertThat(Files.exists(DOC)).as("docs/configuration.md exists (run this test with -DwriteConfigDoc=true)").isTrue();
        assertThat(Files.readString(DOC)).as("docs/configuration.md is out of date: run this test with -DwriteConfigDoc=true and "
                + "commit the file").isEqualTo(table);
    }

    private static void collect(Class<?> type, String prefix, Map<String, String> docs, List<Property> out) {
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(Method::getName));
        for (Method m : methods) {
            if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.getParameterCount() > 0) {
                continue;
            }
            WithName renamed = m.getAnnotation(WithName.class);
            String name = prefix + (renamed != null ? renamed.value() : kebab(m.getName()));
            Class<?> result = m.getReturnType();
            if (result.isInterface() && result.getEnclosingClass() == QuiverConfig.class) {
                collect(result, name + ".", docs, out);
                continue;
            }
            WithDefault def = m.getAnnotation(WithDefault.class);
            String typeName = result == Optional.class ? m.getGenericReturnType().getTypeName().replaceAll(".*<(.*\\.)?(\\w+)>", "$2")
                    : result.isEnum() ? String.join(", ", Arrays.stream(result.getEnumConstants()).map(Object::toString).toList())
                    : result.getSimpleName();
            String defaultValue = def != null ? "`" + def.value() + "`" : result == Optional.class ? "(none)" : "(required)";
            out.add(new Property(name, typeName, defaultValue, docs.getOrDefault(type.getSimpleName() + "." + m.getName(), "")));
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    static String env(String property) {
        return property.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static final Pattern INTERFACE = Pattern.compile("^\\s*(?:public\\s+)?interface\\s+(\\w+)");
    private static final Pattern METHOD = Pattern.compile("^\\s*[\\w.<>, ]+\\s+(\\w+)\\(\\);");

    /** Javadoc per "Interface.method", read from the source: the comment right before the method (annotations between). */
    static Map<String, String> javadocs(String source) {
        Map<String, String> out = new HashMap<>();
        String current = "QuiverConfig";
        StringBuilder comment = null;
        String last = null;
        for (String line : source.split("\n")) {
            Matcher i = INTERFACE.matcher(line);
            if (i.find()) {
                current = i.group(1);
                last = null;
                continue;
            }
            String t = line.trim();
            if (t.startsWith("/**")) {
                comment = new StringBuilder();
                t = t.substring(3);
            }
            if (comment != null) {
                boolean end = t.endsWith("*/");
                if (end) {
                    t = t.substring(0, t.length() - 2);
                }
                comment.append(' ').append(t.replaceFirst("^\\*\\s?", "").trim());
                if (end) {
                    last = comment.toString().replaceAll("\\{@code ([^}]*)}", "`$1`").replaceAll("\\{@link ([^}]*)}", "`$1`")
                            .replaceAll("\\s+", " ").trim();
                    comment = null;
                }
                continue;
            }
            Matcher m = METHOD.matcher(line);
            if (m.find() && last != null) {
                out.put(current + "." + m.group(1), last);
                last = null;
            }
        }
        return out;
    }
}
