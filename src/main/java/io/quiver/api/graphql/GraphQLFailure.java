package io.quiver.api.graphql;

import java.util.List;
import java.util.Map;

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
public class GraphQLFailure extends RuntimeException implements GraphQLError {

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

    @Override
    public List<SourceLocation> getLocations() {
        return null;
    }

    @Override
    public ErrorClassification getErrorType() {
        return ErrorType.DataFetchingException;
    }
}
