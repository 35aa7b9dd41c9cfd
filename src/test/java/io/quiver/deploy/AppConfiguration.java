package io.quiver.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the app says about its own configuration, read from the sources the build already keeps honest: the table of
 * docs/configuration.md (generated from QuiverConfig, checked by ConfigurationDocTest), the {@code ${NAME:default}}
 * placeholders of application.properties, Quarkus' config metadata on the test classpath, and docker/Dockerfile.jvm.
 * The manifests are checked against these, so renaming a property or moving a port breaks the build.
 */
final class AppConfiguration {

    static final Path DOC = Path.of("docs", "configuration.md");
    static final Path PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    static final Path DOCKERFILE = Path.of("docker", "Dockerfile.jvm");

    /** A row of docs/configuration.md; {@code defaultValue} is empty for "(none)". */
    record Setting(String property, String env, Optional<String> defaultValue) {
    }

    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\| [^|]+ \\| ([^|]+) \\|");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::([^}]*))?}");
    private static final Pattern ENV_JAVA_OPTS = Pattern.compile("(?m)^ENV JDK_JAVA_OPTIONS=\"([^\"]*)\"");
    private static final Pattern USER = Pattern.compile("(?m)^USER (\\d+)\\s*$");
    private static final Pattern EXPOSE = Pattern.compile("(?m)^EXPOSE (\\d+)\\s*$");

    // SmallRye Health keeps its path settings in its deployment module, which is not on the test classpath: these are
    // its documented defaults; application.properties can still override them.
    private static final Map<String, String> HEALTH_DEFAULTS = Map.of("quarkus.smallrye-health.root-path", "health",
            "quarkus.smallrye-health.liveness-path", "live", "quarkus.smallrye-health.readiness-path", "ready",
            "quarkus.smallrye-health.startup-path", "started");

    private final Map<String, Setting> documented;
    private final Map<String, Optional<String>> placeholders;
    private final Properties properties;
    private final Map<String, String> quarkusDefaults;
    private final String dockerfile;

    private AppConfiguration(Map<String, Setting> documented, Map<String, Optional<String>> placeholders, Properties properties,
            Map<String, String> quarkusDefaults, String dockerfile) {
        this.documented = documented;
        this.placeholders = placeholders;
        this.properties = properties;
        this.quarkusDefaults = quarkusDefaults;
        this.dockerfile = dockerfile;
    }

    static AppConfiguration load() {
        try {
            Map<String, Setting> documented = new LinkedHashMap<>();
            for (String line : Files.readAllLines(DOC)) {
                Matcher m = ROW.matcher(line);
                if (m.find()) {
                    String def = m.group(3).trim();
                    documented.put(m.group(2), new Setting(m.group(1), m.group(2),
                            def.startsWith("`") ? Optional.of(def.substring(1, def.length() - 1)) : Optional.empty()));
                }
            }
            if (documented.size() < 50) {
                throw new IllegalStateException(DOC + " lists " + documented.size() + " settings: its table format changed, "
                        + "update AppConfiguration.ROW");
            }
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(PROPERTIES)) {
                properties.load(in);
            }
            Map<String, Optional<String>> placeholders = new HashMap<>();
            for (String key : properties.stringPropertyNames()) {
                Matcher m = PLACEHOLDER.matcher(properties.getProperty(key));
                while (m.find()) {
                    placeholders.put(m.group(1), Optional.ofNullable(m.group(2)));
                }
            }
            return new AppConfiguration(documented, placeholders, properties, quarkusDefaults(), Files.readString(DOCKERFILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every environment variable the app reads: the documented QUIVER_* ones and application.properties' placeholders. */
    Set<String> envNames() {
        Set<String> all = new TreeSet<>(documented.keySet());
        all.addAll(placeholders.keySet());
        return all;
    }

    Collection<Setting> settings() {
        return documented.values();
    }

    /** The value the app uses when the variable is not set: the documented default or the placeholder's. */
    Optional<String> defaultOf(String env) {
        if (documented.containsKey(env)) {
            return documented.get(env).defaultValue();
        }
        return placeholders.getOrDefault(env, Optional.empty());
    }

    /** A property as the prod profile (a deployed jar) sees it in application.properties; empty when not set there. */
    Optional<String> prod(String property) {
        return Optional.ofNullable(properties.getProperty("%prod." + property, properties.getProperty(property)));
    }

    /** A property's value for the prod profile: application.properties, else the default in Quarkus' metadata. */
    String quarkus(String property) {
        return prod(property).or(() -> Optional.ofNullable(HEALTH_DEFAULTS.get(property)))
                .or(() -> Optional.ofNullable(quarkusDefaults.get(property)))
                .orElseThrow(() -> new IllegalStateException("no default for " + property + " in Quarkus' config metadata"));
    }

    int httpPort() {
        return Integer.parseInt(quarkus("quarkus.http.port"));
    }

    boolean managementInterface() {
        return Boolean.parseBoolean(prod("quarkus.management.enabled").orElse("false"));
    }

    /** The path of a health endpoint: "live", "ready" or "started" resolved under the health and non-application roots. */
    String healthPath(String which) {
        String setting = switch (which) {
            case "live" -> "quarkus.smallrye-health.liveness-path";
            case "ready" -> "quarkus.smallrye-health.readiness-path";
            default -> "quarkus.smallrye-health.startup-path";
        };
        return under(under(nonApplicationRoot(), quarkus("quarkus.smallrye-health.root-path")), quarkus(setting));
    }

    String metricsPath() {
        return under(nonApplicationRoot(), quarkus("quarkus.micrometer.export.prometheus.path"));
    }

    private String nonApplicationRoot() {
        return under(quarkus("quarkus.http.root-path"), quarkus("quarkus.http.non-application-root-path"));
    }

    /** Quarkus' rule for its paths: an absolute one stands, a relative one is below its parent. */
    private static String under(String parent, String path) {
        if (path.startsWith("/")) {
            return path;
        }
        return (parent.endsWith("/") ? parent : parent + "/") + path;
    }

    /**
     * The JVM options docker/Dockerfile.jvm puts in JDK_JAVA_OPTIONS, which a manifest setting it replaces; all but the
     * heap share, which a manifest sizes for its own memory limit.
     */
    List<String> imageJavaOptions() {
        Matcher m = ENV_JAVA_OPTS.matcher(dockerfile);
        if (!m.find()) {
            throw new IllegalStateException(DOCKERFILE + " no longer sets ENV JDK_JAVA_OPTIONS=\"...\": update this test");
        }
        return Arrays.stream(m.group(1).trim().split("\\s+")).filter(o -> !o.startsWith("-XX:MaxRAMPercentage=")).toList();
    }

    long imageUser() {
        Matcher m = USER.matcher(dockerfile);
        if (!m.find()) {
            throw new IllegalStateException(DOCKERFILE + " names no numeric USER: update this test");
        }
        return Long.parseLong(m.group(1));
    }

    int imageExposedPort() {
        Matcher m = EXPOSE.matcher(dockerfile);
        if (!m.find()) {
            throw new IllegalStateException(DOCKERFILE + " exposes no port: update this test");
        }
        return Integer.parseInt(m.group(1));
    }

    /** Defaults of every property in the Quarkus config metadata (META-INF/quarkus-config-doc) of the extensions on the classpath. */
    private static Map<String, String> quarkusDefaults() throws IOException {
        Map<String, String> out = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        Enumeration<URL> models = AppConfiguration.class.getClassLoader()
                .getResources("META-INF/quarkus-config-doc/quarkus-config-model.json");
        while (models.hasMoreElements()) {
            try (InputStream in = models.nextElement().openStream()) {
                collectDefaults(json.readTree(in), out);
            }
        }
        if (!out.containsKey("quarkus.http.port")) {
            throw new IllegalStateException("Quarkus' config metadata has no quarkus.http.port: its format changed, update "
                    + "AppConfiguration.quarkusDefaults");
        }
        return out;
    }

    private static void collectDefaults(JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            JsonNode property = node.path("path").path("property");
            if (property.isTextual() && node.has("defaultValue")) {
                out.put(property.asText(), node.get("defaultValue").asText());
            }
        }
        List<JsonNode> children = new ArrayList<>();
        node.elements().forEachRemaining(children::add);
        children.forEach(c -> collectDefaults(c, out));
    }
}
