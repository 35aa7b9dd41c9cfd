package io.quiver.api.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.quiver.json.JsonPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Problem details (RFC 9457) written at the HTTP layer, before a request reaches a resource: same shape as the REST mappers'. */
final class Problems {

    private Problems() {
    }

    static void send(RoutingContext ctx, int status, String code, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:quiver:error:" + code.toLowerCase(Locale.ROOT));
        body.put("title", code.charAt(0) + code.substring(1).toLowerCase(Locale.ROOT).replace('_', ' '));
        body.put("status", status);
        body.put("detail", detail);
        body.put("code", code);
        body.put("instance", ctx.normalizedPath());
        Object id = ctx.get(RequestIds.KEY);
        if (id != null) {
            body.put("requestId", id);
        }
        String text;
        try {
            text = JsonPolicy.shared().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"status\":" + status + "}";
        }
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json").end(text);
    }
}
