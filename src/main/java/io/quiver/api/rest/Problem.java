package io.quiver.api.rest;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quiver.error.Violation;

/**
 * RFC 9457 problem details, with Quiver's stable error code, the violations of a validation failure, and the request's
 * id (the server log has the details under it).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String code, String instance,
        List<Violation> violations, String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";
}
