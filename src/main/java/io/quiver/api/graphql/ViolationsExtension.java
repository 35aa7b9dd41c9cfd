package io.quiver.api.graphql;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonValue;

import io.quiver.error.Violation;
import io.smallrye.graphql.api.ErrorExtensionProvider;

/**
 * Lists every broken rule of a validation failure in {@code extensions.violations} (path, rule, message); empty
 * for other failures. Registered through META-INF/services.
 */
public class ViolationsExtension implements ErrorExtensionProvider {

    @Override
    public String getKey() {
        return "violations";
    }

    @Override
    public JsonValue mapValueFrom(Throwable exception) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        if (!(exception instanceof GraphQLFailure f)) {
            return array.build();
        }
        for (Violation v : f.failure().violations()) {
            array.add(Json.createObjectBuilder().add("path", v.path()).add("rule", v.rule()).add("message", v.message()));
        }
        return array.build();
    }
}
