package io.quiver.api.http;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import io.quiver.config.QuiverConfig;
import io.quiver.error.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;

/**
 * The HTTP side of {@code /graphql}, as the GraphQL-over-HTTP specification says, in front of SmallRye GraphQL's
 * handler (which executes the request). It answers {@code application/graphql-response+json} when the client
 * accepts it and {@code application/json} when Accept is missing, {@code * / *} or asks for it (406 otherwise); reads a
 * body of at most {@code quiver.api.max-json-body} (413 beyond); refuses a POST without a JSON or GraphQL content
 * type (415), a body that is not JSON or not a GraphQL request object ({@code query} a string; {@code variables}
 * and {@code extensions} objects; {@code operationName} a string) with 400, and a mutation sent with GET with 405.
 * Under {@code application/graphql-response+json}, a response without {@code data} (the document did not parse or
 * validate, a variable did not coerce, a limit aborted it) gets 400; under {@code application/json} every well-formed
 * request gets 200, as the specification asks for that legacy type.
 */
@ApplicationScoped
public class GraphQLOverHttp {

    public static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
    public static final String JSON = "application/json";
    /** Vert.x context key of the flag {@code GraphQLResultStatus} sets when a response carries no data. */
    public static final String NO_DATA = "quiver.graphql.no-data";

    private final ObjectMapper mapper;
    /** Routing context key: the request passed this filter's checks (a POST runs through two of its routes). */
    private static final String CHECKED = "quiver.graphql.checked";

    private final QuiverConfig.Api config;
    private final String path;
    private final int maxTokens;
    private final JsonFactory json;

    public GraphQLOverHttp(QuiverConfig config,
            @ConfigProperty(name = "quarkus.smallrye-graphql.root-path", defaultValue = "graphql") String rootPath,
            @ConfigProperty(name = "quarkus.smallrye-graphql.parser-max-tokens", defaultValue = "15000") int maxTokens, ObjectMapper mapper) {
        this.config = config.api();
        this.path = rootPath.startsWith("/") ? rootPath : "/" + rootPath;
        this.maxTokens = maxTokens;
        this.mapper = mapper;
        this.json = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(config.api().maxJsonDepth()).maxNumberLength(JsonLimits.MAX_NUMBER_LENGTH).build()).build();
    }

    void register(@Observes Router router) {
        // POST bodies are read here, bounded; GET (and the WebSocket upgrade, a GET) needs no body handler
        router.post(path).order(-100)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxJsonBody()))
                .handler(this::handle)
                .failureHandler(ctx -> {
                    if (ctx.statusCode() == 413) {
                        refuse(ctx, JSON, 413, ErrorCode.REQUEST_TOO_LARGE, "the request body is larger than the "
                                + config.maxJsonBody() + " bytes /graphql accepts (quiver.api.max-json-body); send bulk data to the "
                                + "REST endpoints as Arrow or Parquet, or split the request");
                    } else {
                        ctx.next();
                    }
                });
        router.route(path).order(-99).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        // only a WebSocket upgrade skips the checks: other Upgrade values (h2c, which the server does not do) are plain requests
        if (ctx.get(CHECKED) != null || "websocket".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.UPGRADE)) || method == HttpMethod.OPTIONS) {
            ctx.next(); // checked already (a POST), GraphQL over WebSocket (subscriptions), or a CORS pre-flight: SmallRye's
            return;
        }
        ctx.put(CHECKED, Boolean.TRUE);
        String type = negotiate(ctx.request().getHeader(HttpHeaders.ACCEPT));
        if (type == null) {
            refuse(ctx, JSON, 406, ErrorCode.INVALID_ARGUMENT, "/graphql answers " + GRAPHQL_RESPONSE + " or " + JSON
                    + "; the Accept header asked for neither");
            return;
        }
        Checked checked;
        if (method == HttpMethod.POST) {
            checked = checkPost(ctx);
        } else if (method == HttpMethod.GET) {
            checked = checkGet(ctx);
        } else {
            ctx.response().putHeader(HttpHeaders.ALLOW, "GET, POST");
            refuse(ctx, type, 405, ErrorCode.INVALID_ARGUMENT, "/graphql takes GET (queries) and POST; not " + method.name());
            return;
        }
        if (checked.problem() != null) {
            refuse(ctx, type, ctx.response().getStatusCode() == 200 ? 400 : ctx.response().getStatusCode(), ErrorCode.INVALID_ARGUMENT,
                    checked.problem());
            return;
        }
        if (!checkDocument(ctx, type, checked.query())) {
            return;
        }
        AtomicBoolean noData = new AtomicBoolean();
        io.vertx.core.Context vertx = Vertx.currentContext();
        if (vertx != null) {
            vertx.putLocal(NO_DATA, noData);
        }
        ctx.addHeadersEndHandler(v -> {
            ctx.response().headers().set(HttpHeaders.CONTENT_TYPE, type + "; charset=utf-8");
            if (type.equals(GRAPHQL_RESPONSE) && noData.get() && ctx.response().getStatusCode() == 200) {
                ctx.response().setStatusCode(400).setStatusMessage("Bad Request");
            }
        });
        ctx.next();
    }

    /** @return what is wrong with the POST, or its document */
    private Checked checkPost(RoutingContext ctx) {
        String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String media = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals(JSON) && !media.equals("application/graphql")) {
            ctx.response().setStatusCode(415);
            return Checked.bad(contentType == null ? "a POST to /graphql needs Content-Type: application/json with a body "
                    + "{\"query\": ..., \"variables\": {...}}" : "Content-Type must be application/json (a GraphQL request object), not " + contentType);
        }
        if (contentType.toLowerCase(Locale.ROOT).contains("charset=") && !contentType.toLowerCase(Locale.ROOT).replace(" ", "").contains("charset=utf-8")) {
            ctx.response().setStatusCode(415);
            return Checked.bad("the body must be UTF-8 (charset=utf-8), not " + contentType);
        }
        if (media.equals("application/graphql")) {
            return ctx.body().length() == 0 ? Checked.bad("the body is empty; send a GraphQL document") : new Checked(null, ctx.body().asString());
        }
        return checkRequestObject(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    }

    /** A checked request: what is wrong with it, or its document. */
    record Checked(String problem, String query) {
        static Checked bad(String problem) {
            return new Checked(problem, null);
        }
    }

    /**
     * Checks the body is one JSON object whose members have the types the specification names, in one streaming
     * pass: no tree is built, numbers are checked as they pass ({@link JsonLimits}), nesting is bounded.
     */
    Checked checkRequestObject(byte[] body) {
        if (body.length == 0) {
            return Checked.bad("the body is empty; send {\"query\": \"...\", \"variables\": {...}}");
        }
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Checked.bad("the body must be a JSON object {\"query\": \"...\", \"variables\": {...}}");
            }
            String query = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "query" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            return Checked.bad("query must be a string holding the GraphQL document");
                        }
                        query = p.getText();
                    }
                    case "operationName" -> {
                        if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                            return Checked.bad("operationName must be a string or null");
                        }
                    }
                    case "variables", "extensions" -> {
                        if (value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL) {
                            return Checked.bad(name + " must be a JSON object (name to value) or null, not " + describe(value));
                        }
                        String bad = JsonLimits.checkValues(p);
                        if (bad != null) {
                            return Checked.bad(name + ": " + bad);
                        }
                    }
                    default -> {
                        String bad = JsonLimits.checkValues(p);
                        if (bad != null) {
                            return Checked.bad(name + ": " + bad);
                        }
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                return Checked.bad("the body must be exactly one JSON object");
            }
            return query != null ? new Checked(null, query) : Checked.bad("the request object has no query; send {\"query\": \"...\"}");
        } catch (IOException e) {
            return Checked.bad("the body is not valid JSON (" + JsonLimits.describe(e) + ")");
        }
    }

    private Checked checkGet(RoutingContext ctx) {
        String query = ctx.queryParams().get("query");
        if (query == null || query.isBlank()) {
            return Checked.bad("a GET to /graphql needs the query parameter 'query' (the GraphQL document)");
        }
        for (String name : List.of("variables", "extensions")) {
            String value = ctx.queryParams().get(name);
            if (value != null && !value.isBlank()) {
                Checked bad = checkRequestObject(("{\"query\":\"\",\"" + name + "\":" + value + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (bad.problem() != null) {
                    return Checked.bad(bad.problem().startsWith(name) ? bad.problem() : name + " must be a JSON object: " + bad.problem());
                }
            }
        }
        return new Checked(null, query);
    }

    /**
     * Parses the document (graphql-java, bounded by {@code parser-max-tokens}): a syntax error is answered here, with
     * its position; a mutation or subscription sent by GET is refused with 405.
     *
     * @return true when the request may go on to execution
     */
    private boolean checkDocument(RoutingContext ctx, String type, String query) {
        Document document;
        try {
            document = new Parser().parseDocument(ParserEnvironment.newParserEnvironment().document(query)
                    .parserOptions(ParserOptions.newParserOptions().maxTokens(maxTokens).build()).build());
        } catch (InvalidSyntaxException e) {
            requestError(ctx, type, "the document is not valid GraphQL: " + e.getMessage(), e.getLocation());
            return false;
        } catch (RuntimeException e) {
            // graphql-java cancels a parse beyond the token limit
            requestError(ctx, type, "the document has more than " + maxTokens + " tokens (quarkus.smallrye-graphql.parser-max-tokens); "
                    + "pass large inputs as variables, or bulk data to the REST endpoints", null);
            return false;
        }
        long fields = ExpandedFields.count(document, config.maxExpandedFields());
        if (fields > config.maxExpandedFields()) {
            requestError(ctx, type, ExpandedFields.tooMany(config.maxExpandedFields()), null);
            return false;
        }
        if (ctx.request().method() != HttpMethod.GET) {
            return true;
        }
        String operationName = ctx.queryParams().get("operationName");
        for (OperationDefinition op : document.getDefinitionsOfType(OperationDefinition.class)) {
            boolean selected = operationName == null || operationName.isBlank() || operationName.equals(op.getName());
            if (selected && op.getOperation() != OperationDefinition.Operation.QUERY) {
                ctx.response().putHeader(HttpHeaders.ALLOW, "POST");
                refuse(ctx, type, 405, ErrorCode.INVALID_ARGUMENT, "a " + op.getOperation().name().toLowerCase(Locale.ROOT)
                        + " cannot be sent with GET (caches and prefetching may repeat a GET); POST it");
                return false;
            }
        }
        return true;
    }

    /** A GraphQL request error found here: 400 under the GraphQL response type, 200 under JSON (the specification's rule). */
    private void requestError(RoutingContext ctx, String type, String message, graphql.language.SourceLocation at) {
        Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("message", message);
        if (at != null) {
            error.put("locations", List.of(Map.of("line", at.getLine(), "column", at.getColumn())));
        }
        write(ctx, type, type.equals(GRAPHQL_RESPONSE) ? 400 : 200, error, ErrorCode.INVALID_ARGUMENT, "InvalidSyntax");
    }

    /** The response media type for the Accept header, or null when neither GraphQL type is acceptable. */
    static String negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return JSON;
        }
        String best = null;
        double bestQ = 0;
        for (String part : accept.split(",")) {
            String[] params = part.split(";");
            String media = params[0].trim().toLowerCase(Locale.ROOT);
            double q = 1;
            for (int i = 1; i < params.length; i++) {
                String p = params[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            String candidate = switch (media) {
                case GRAPHQL_RESPONSE -> GRAPHQL_RESPONSE;
                case JSON, "*/*", "application/*" -> JSON;
                default -> null;
            };
            if (candidate != null && q > 0 && (q > bestQ || q == bestQ && candidate.equals(GRAPHQL_RESPONSE))) {
                best = candidate;
                bestQ = q;
            }
        }
        return best;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> String.valueOf(token).toLowerCase(Locale.ROOT);
        };
    }

    /** Answers the request itself, as a GraphQL response with one error. */
    private void refuse(RoutingContext ctx, String type, int status, ErrorCode code, String message) {
        Map<String, Object> error = new java.util.LinkedHashMap<>();
        error.put("message", message);
        write(ctx, type, status, error, code, null);
    }

    private void write(RoutingContext ctx, String type, int status, Map<String, Object> error, ErrorCode code, String classification) {
        Map<String, Object> extensions = new java.util.LinkedHashMap<>();
        extensions.put("code", code.name());
        if (classification != null) {
            extensions.put("classification", classification);
        }
        String id = ctx.get(RequestIds.KEY);
        if (id != null) {
            extensions.put("requestId", id);
        }
        error.put("extensions", extensions);
        String body;
        try {
            body = mapper.writeValueAsString(Map.of("errors", new ArrayList<>(List.of(error))));
        } catch (IOException e) {
            body = "{\"errors\":[{\"message\":\"bad request\"}]}";
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, type + "; charset=utf-8").end(body);
    }
}
