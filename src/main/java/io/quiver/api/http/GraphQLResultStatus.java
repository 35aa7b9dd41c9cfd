package io.quiver.api.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import io.smallrye.graphql.api.Context;
import io.smallrye.graphql.execution.context.SmallRyeContext;
import io.smallrye.graphql.spi.EventingService;
import io.vertx.core.Vertx;

/**
 * Runs just before SmallRye writes a GraphQL response, on the request's Vert.x context. For a response without
 * {@code data} (a request error: the document did not validate, a variable did not coerce, a limit aborted
 * execution) it tells {@link GraphQLOverHttp}, which then answers 400 under {@code application/graphql-response+json}.
 * In every error it rewords graphql-java's and SmallRye's messages that name Java types ("it was a 'HashMap'",
 * "Unknown Scalar Type [jakarta.json.JsonObject]") in JSON's terms, and adds the request id. Loaded through META-INF/services once per JVM, so it only touches JDK, Vert.x, SmallRye and graphql-java
 * types (a Quarkus restart in tests brings other copies of the application's classes).
 */
public class GraphQLResultStatus implements EventingService {

    private static final Pattern JAVA_TYPE = Pattern.compile("(?:an? )?'(HashMap|LinkedHashMap|Map|ArrayList|List|Integer|Long|BigInteger"
            + "|Double|Float|BigDecimal|Boolean|String)'");

    /** SmallRye's name for the JSON scalar's Java type, e.g. 'Unknown Scalar Type [jakarta.json.JsonObject]'. */
    private static final Pattern SCALAR = Pattern.compile("'?Unknown Scalar Type \\[[\\w.$]+]'?");

    @Override
    public String getConfigKey() {
        return null; // always on
    }

    /**
     * Puts a bound on fragment expansion in front of every execution, whatever the transport (the WebSocket's
     * messages never pass {@link GraphQLOverHttp}): a document whose fragments expand to more fields than
     * {@code quiver.api.max-expanded-fields} is answered with an error instead of being run. This replaces SmallRye's
     * parsed-document cache, so each request parses its document (bounded by the token limit).
     */
    @Override
    public graphql.GraphQL.Builder beforeGraphQLBuild(graphql.GraphQL.Builder builder) {
        return builder.preparsedDocumentProvider((input, parseAndValidate) -> {
            graphql.execution.preparsed.PreparsedDocumentEntry entry = parseAndValidate.apply(input);
            int max = org.eclipse.microprofile.config.ConfigProvider.getConfig().getOptionalValue("quiver.api.max-expanded-fields", Integer.class)
                    .orElse(10_000);
            if (!entry.hasErrors() && ExpandedFields.count(entry.getDocument(), max) > max) {
                Map<String, Object> extensions = new LinkedHashMap<>();
                extensions.put("code", "INVALID_ARGUMENT");
                Object id = org.jboss.logging.MDC.get(RequestIds.KEY);
                if (id != null) {
                    extensions.put("requestId", id.toString());
                }
                entry = new graphql.execution.preparsed.PreparsedDocumentEntry(GraphqlErrorBuilder.newError()
                        .message(ExpandedFields.tooMany(max)).extensions(extensions).build());
            }
            return java.util.concurrent.CompletableFuture.completedFuture(entry);
        });
    }

    @Override
    public void afterExecute(Context context) {
        ExecutionResult result = context.unwrap(ExecutionResult.class);
        if (result == null || result.getErrors().isEmpty()) {
            return;
        }
        io.vertx.core.Context vertx = Vertx.currentContext();
        if (!result.isDataPresent() && vertx != null && vertx.getLocal(GraphQLOverHttp.NO_DATA) instanceof AtomicBoolean flag) {
            flag.set(true);
        }
        if (context instanceof SmallRyeContext smallrye) {
            Object id = org.jboss.logging.MDC.get(RequestIds.KEY);
            List<GraphQLError> errors = new ArrayList<>();
            boolean changed = false;
            for (GraphQLError e : result.getErrors()) {
                String message = reword(e.getMessage());
                Map<String, Object> extensions = e.getExtensions() == null ? Map.of() : e.getExtensions();
                boolean needsId = id != null && !extensions.containsKey("requestId") && !result.isDataPresent();
                if (message.equals(e.getMessage()) && !needsId) {
                    errors.add(e); // untouched: SmallRye still derives its extensions (violations) from the error's exception
                    continue;
                }
                Map<String, Object> more = new LinkedHashMap<>(extensions);
                more.putIfAbsent("code", "INVALID_ARGUMENT");
                if (id != null) {
                    more.putIfAbsent("requestId", id.toString());
                }
                errors.add(GraphqlErrorBuilder.newError().message(message).locations(e.getLocations()).path(e.getPath())
                        .errorType(e.getErrorType()).extensions(more).build());
                changed = true;
            }
            if (changed) {
                smallrye.setExecutionResult(result.transform(b -> b.errors(errors)));
            }
        }
    }

    static String reword(String message) {
        if (message == null) {
            return "";
        }
        message = SCALAR.matcher(message).replaceAll("JSON object");
        Matcher m = JAVA_TYPE.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String kind = switch (m.group(1)) {
                case "HashMap", "LinkedHashMap", "Map" -> "an object";
                case "ArrayList", "List" -> "a list";
                case "Boolean" -> "a boolean";
                case "String" -> "a string";
                default -> "a number";
            };
            m.appendReplacement(out, kind);
        }
        m.appendTail(out);
        return out.toString();
    }
}
