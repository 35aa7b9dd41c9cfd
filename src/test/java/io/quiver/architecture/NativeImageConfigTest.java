package io.quiver.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quiver.json.JsonPolicy;

/**
 * The native-image configuration (application.properties' quarkus.native.* and META-INF/native-image/io.quiver/quiver)
 * names only things that exist in the libraries the build uses: a renamed class, method or bundled library after an
 * upgrade fails here, on the JVM, instead of in a native executable. It cannot show that the entries are enough; see
 * docs/native.md for what is and is not verified.
 */
class NativeImageConfigTest {

    private static final Path CONFIG = Path.of("src", "main", "resources", "META-INF", "native-image", "io.quiver", "quiver");
    /** The JDK the native executable is built with (Mandrel for JDK 25; Quarkus 3.34 accepts 21 and later). */
    private static final int BUILDER_JDK = 21;
    private static final Map<String, Class<?>> PRIMITIVES = Map.of("boolean", boolean.class, "byte", byte.class, "char", char.class,
            "short", short.class, "int", int.class, "long", long.class, "float", float.class, "double", double.class);

    @Test
    void everyClassFieldAndMethodRegisteredForReflectionOrJniExists() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String file : List.of("reflect-config.json", "jni-config.json")) {
            JsonNode entries = JsonPolicy.shared().readTree(Files.readString(CONFIG.resolve(file)));
            assertThat(entries.size()).as(file).isPositive();
            for (JsonNode entry : entries) {
                String name = entry.get("name").asText();
                Class<?> type;
                try {
                    type = load(name);
                } catch (ClassNotFoundException e) {
                    missing.add(file + ": class " + name);
                    continue;
                }
                for (JsonNode f : entry.path("fields")) {
                    if (!hasField(type, f.get("name").asText()) && checkable(type)) {
                        missing.add(file + ": field " + name + "." + f.get("name").asText());
                    }
                }
                for (JsonNode m : entry.path("methods")) {
                    if (!hasMethod(type, m.get("name").asText(), m.get("parameterTypes")) && checkable(type)) {
                        missing.add(file + ": method " + name + "." + m.get("name").asText() + m.get("parameterTypes"));
                    }
                }
            }
        }
        assertThat(missing).as("registered in META-INF/native-image/io.quiver/quiver but not in the libraries").isEmpty();
    }

    @Test
    void everyResourceIncludedInTheExecutableIsOnTheClassPath() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        String includes = properties.getProperty("quarkus.native.resources.includes");
        assertThat(includes).isNotBlank();
        for (String resource : includes.split(",")) {
            assertThat(resource).as("a literal name (globs would hide a renamed library)").doesNotContain("*");
            assertThat(getClass().getClassLoader().getResource(resource.trim())).as(resource).isNotNull();
        }
        assertThat(includes).contains("libduckdb_java.so_linux_amd64", "arrow_cdata_jni/x86_64/libarrow_cdata_jni.so");
    }

    /** A JDK class may lack a member the builder's newer JDK has (DirectByteBuffer(long, long) came with JDK 21). */
    private static boolean checkable(Class<?> type) {
        boolean jdk = type.getName().startsWith("java.") || type.getName().startsWith("sun.");
        return !jdk || Runtime.version().feature() >= BUILDER_JDK;
    }

    private static Class<?> load(String name) throws ClassNotFoundException {
        if (PRIMITIVES.containsKey(name)) {
            return PRIMITIVES.get(name);
        }
        if (name.endsWith("[]")) {
            return load(name.substring(0, name.length() - 2)).arrayType();
        }
        return Class.forName(name, false, NativeImageConfigTest.class.getClassLoader());
    }

    private static boolean hasField(Class<?> type, String name) {
        for (Field f : type.getDeclaredFields()) {
            if (f.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasMethod(Class<?> type, String name, JsonNode parameterTypes) throws ClassNotFoundException {
        Class<?>[] parameters = new Class<?>[parameterTypes.size()];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = load(parameterTypes.get(i).asText());
        }
        try {
            if (name.equals("<init>")) {
                type.getDeclaredConstructor(parameters);
            } else {
                type.getDeclaredMethod(name, parameters);
            }
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
