package io.quiver.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** GraphQL subscriptions over WebSocket, as a client sees them. */
public final class GraphQLSubscription {

    private GraphQLSubscription() {
    }

    /** A graphql-transport-ws client: collects the payloads of "next" messages until "complete". */
    public static List<JsonNode> collect(URI graphql, String query) throws Exception {
        return collect(graphql, query, Map.of());
    }

    /** The same, with headers on the WebSocket upgrade request (credentials). */
    public static List<JsonNode> collect(URI graphql, String query, Map<String, String> headers) throws Exception {
        return collect(graphql, query, headers, List.of());
    }

    /** The same, offering more subprotocols after graphql-transport-ws (a browser's only way to send a key). */
    public static List<JsonNode> collect(URI graphql, String query, Map<String, String> headers, List<String> moreProtocols) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> payloads = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        // A WebSocket takes one send at a time: a second while the first is pending fails (its future, not a throw), so the
        // subscribe waits for connection_init's send to complete (a fast connection_ack can arrive before it has)
        CompletableFuture<WebSocket> initSent = new CompletableFuture<>();
        URI ws = URI.create(graphql.toString().replaceFirst("^http", "ws"));
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("graphql-transport-ws",
                moreProtocols.toArray(String[]::new));
        headers.forEach(builder::header);
        WebSocket socket = builder
                .buildAsync(ws, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                JsonNode message = json.readTree(text.toString());
                                text.setLength(0);
                                switch (message.path("type").asText()) {
                                    case "connection_ack" -> {
                                        String subscribe = json.writeValueAsString(Map.of("id", "1", "type", "subscribe", "payload", Map.of("query", query)));
                                        initSent.thenCompose(open -> open.sendText(subscribe, true)).whenComplete((sent, failure) -> {
                                            if (failure != null) {
                                                done.completeExceptionally(failure);
                                            }
                                        });
                                    }
                                    case "next" -> payloads.add(message.path("payload"));
                                    case "complete" -> done.complete(null);
                                    case "error" -> done.completeExceptionally(new AssertionError("subscription error: " + message));
                                    default -> {
                                    }
                                }
                            } catch (Exception e) {
                                done.completeExceptionally(e);
                            }
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        done.completeExceptionally(new AssertionError("the server closed the socket: " + statusCode + " " + reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        done.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("{\"type\":\"connection_init\"}", true).whenComplete((sent, failure) -> {
            if (failure != null) {
                initSent.completeExceptionally(failure);
            } else {
                initSent.complete(sent);
            }
        });
        done.get(60, TimeUnit.SECONDS);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        return payloads;
    }
}
