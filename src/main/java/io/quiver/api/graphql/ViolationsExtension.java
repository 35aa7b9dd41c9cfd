package io.quiver.api.graphql;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import io.smallrye.graphql.api.ErrorExtensionProvider;

/**
 * Lists every broken rule of a validation failure in {@code extensions.violations} (path, rule, message); empty
 * for other failures. Registered through META-INF/services.
 */
public class ViolationsExtension implements ErrorExtensionProvider {

    private static final JsonProvider JSON = JsonProvider.provider();

    @Override
    public String getKey() {
        return "violations";
    }

    @Override
    public JsonValue mapValueFrom(Throwable exception) {
        JsonArrayBuilder array = JSON.createArrayBuilder();
        // GraphQLFailure, seen through a JDK interface: see GraphQLFailure#get
        if (!(exception instanceof Supplier<?> failure) || !(failure.get() instanceof List<?> violations)) {
            return array.build();
        }
        for (Object v : violations) {
            if (v instanceof Map<?, ?> m) {
                array.add(JSON.createObjectBuilder().add("path", String.valueOf(m.get("path"))).add("rule", String.valueOf(m.get("rule")))
                        .add("message", String.valueOf(m.get("message"))));
            }
        }
        return array.build();
    }
}
