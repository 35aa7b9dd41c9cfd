package io.quiver.api.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quiver.error.ErrorCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Answers a request refused at the HTTP edge, before any resource runs (rate limits, credentials that do not verify):
 * a GraphQL error on {@code /graphql}, a problem document elsewhere, with the code, the request id and the status.
 */
@ApplicationScoped
public class EdgeErrors {

    private final ObjectMapper mapper;

    public EdgeErrors(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Ends the request with the error; {@code headers} are name-value pairs. */
    public void refuse(RoutingContext ctx, ErrorCode code, String message, String... headers) {
        String path = ctx.normalizedPath();
        boolean graphql = path.equals("/graphql") || path.startsWith("/graphql/");
        Map<String, Object> body = new LinkedHashMap<>();
        if (graphql) {
            body.put("errors", List.of(Map.of("message", message, "extensions", Map.of("code", code.name(), "requestId", String.valueOf(RequestIds.current())))));
        } else {
            body.put("type", "urn:quiver:error:" + code.name().toLowerCase(java.util.Locale.ROOT));
            body.put("title", code.name().charAt(0) + code.name().substring(1).toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            body.put("status", code.httpStatus());
            body.put("detail", message);
            body.put("code", code.name());
            body.put("instance", path);
            body.put("requestId", RequestIds.current());
        }
        var response = ctx.response().setStatusCode(code.httpStatus()).putHeader(HttpHeaders.CONTENT_TYPE,
                graphql ? "application/json" : "application/problem+json");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response.putHeader(headers[i], headers[i + 1]);
        }
        try {
            response.end(mapper.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
