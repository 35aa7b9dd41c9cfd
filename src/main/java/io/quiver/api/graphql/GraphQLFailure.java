package io.quiver.api.graphql;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import graphql.ErrorClassification;
import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.language.SourceLocation;
import io.quiver.error.QuiverException;

/**
 * A {@link QuiverException} as GraphQL sees it. graphql-java copies the extensions of an exception that is a
 * {@link GraphQLError}, after SmallRye's own providers, so {@code extensions.code} is Quiver's stable code rather
 * than one derived from a class name.
 */
public class GraphQLFailure extends RuntimeException implements GraphQLError, Supplier<List<Map<String, String>>> {

    private final QuiverException failure;

    public GraphQLFailure(QuiverException failure) {
        super(failure.getMessage(), failure, false, false);
        this.failure = failure;
    }

    public QuiverException failure() {
        return failure;
    }

    @Override
    public Map<String, Object> getExtensions() {
        return Map.of("code", failure.code().name());
    }

    /**
     * The violations as plain maps (path, rule, message), for {@link ViolationsExtension}. Reached through the JDK's
     * {@code Supplier} rather than this class: SmallRye loads the extension provider once per JVM, and after a Quarkus
     * restart in another class loader (test runs do that) an {@code instanceof GraphQLFailure} there no longer matches.
     */
    @Override
    public List<Map<String, String>> get() {
        return failure.violations().stream().map(v -> Map.of("path", v.path(), "rule", v.rule(), "message", v.message())).toList();
    }

    @Override
    public List<SourceLocation> getLocations() {
        return null;
    }

    @Override
    public ErrorClassification getErrorType() {
        return ErrorType.DataFetchingException;
    }
}
