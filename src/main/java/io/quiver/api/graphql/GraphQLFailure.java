package io.quiver.api.graphql;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.language.SourceLocation;
import io.quiver.api.http.Redaction;
import io.quiver.api.http.RequestIds;
import io.quiver.error.QuiverException;

/**
 * A {@link QuiverException} as GraphQL sees it. graphql-java copies the extensions of an exception that is a
 * {@link GraphQLError}, after SmallRye's own providers, so {@code extensions.code} is Quiver's stable code rather
 * than one derived from a class name.
 */
public class GraphQLFailure extends RuntimeException implements GraphQLError, Supplier<List<Map<String, String>>> {

    private final QuiverException failure;
    private final String requestId;
    private final List<Map<String, String>> violations;

    /** The failure as the client sees it: its code, its message and violations without internals, the request id. */
    public GraphQLFailure(QuiverException failure, Redaction redaction) {
        super(redaction.redact(failure.getMessage()), failure, false, false);
        this.failure = failure;
        this.requestId = RequestIds.current();
        this.violations = failure.violations().stream().map(v -> Map.of("path", v.path(), "rule", v.rule().name(),
                "message", redaction.redact(v.message()))).toList();
    }

    public QuiverException failure() {
        return failure;
    }

    @Override
    public Map<String, Object> getExtensions() {
        // classification too: SmallRye's own would name graphql-java's DataFetchingException
        return requestId == null ? Map.of("code", failure.code().name(), "classification", "FieldError")
                : Map.of("code", failure.code().name(), "classification", "FieldError", "requestId", requestId);
    }

    /**
     * The violations as plain maps (path, rule, message), for {@link ViolationsExtension}. Reached through the JDK's
     * {@code Supplier} rather than this class: SmallRye loads the extension provider once per JVM, and after a Quarkus
     * restart in another class loader (test runs do that) an {@code instanceof GraphQLFailure} there no longer matches.
     */
    @Override
    public List<Map<String, String>> get() {
        return violations;
    }

    @Override
    public List<SourceLocation> getLocations() {
        return null;
    }

    @Override
    public ErrorClassification getErrorType() {
        return FIELD_ERROR;
    }

    /** The classification clients see: a field failed (graphql-java's own name for it reads like a Java class). */
    private static final ErrorClassification FIELD_ERROR = ErrorClassification.errorClassification("FieldError");
}
