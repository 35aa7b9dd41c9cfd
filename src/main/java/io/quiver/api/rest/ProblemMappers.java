package io.quiver.api.rest;

import java.util.List;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quiver.api.http.Redaction;
import io.quiver.api.http.RequestIds;
import io.quiver.error.ErrorCode;
import io.quiver.error.Failures;
import io.quiver.error.QuiverException;
import io.quiver.error.Violation;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Maps every failure of a REST call to problem+json, once, in one place. Clients never see a stack trace or the
 * deployment's internals (see {@link Redaction}); they get the stable code, what to do, and the request id under which
 * the server logged the cause. A busy service answers with Retry-After.
 */
// the problem body is a Response entity, which Quarkus cannot trace to a type: Jackson writes it by reflection
@RegisterForReflection(targets = Problem.class, registerFullHierarchy = true)
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Seconds a client should wait before retrying a SERVICE_BUSY or unavailable answer. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final Redaction redaction;
    private final io.quiver.api.http.ApiMetrics metrics;

    public ProblemMappers(Redaction redaction, io.quiver.api.http.ApiMetrics metrics) {
        this.metrics = metrics;
        this.redaction = redaction;
    }

    @ServerExceptionMapper
    public Response quiver(QuiverException e, UriInfo uri) {
        if (e.code() == ErrorCode.SERVICE_BUSY) {
            LOG.warnf("request %s refused: %s", uri.getPath(), e.getMessage());
        } else if (e.code().httpStatus() >= 500) {
            LOG.errorf(e, "request %s failed with %s", uri.getPath(), e.code());
        }
        Response problem = problem(e.code(), e.getMessage(), uri, e.violations());
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            return Response.fromResponse(problem).header("WWW-Authenticate", "Bearer").build();
        }
        return problem;
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        return problem(ErrorCode.INVALID_ARGUMENT, "the request body is not valid JSON for this endpoint: "
                + io.quiver.api.http.JsonLimits.describe(e), uri, List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        ErrorCode code = status == 413 ? ErrorCode.REQUEST_TOO_LARGE : status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_ARGUMENT;
        if (status >= 500) {
            LOG.errorf(e, "request %s failed with %d", uri.getPath(), status);
        }
        String detail = status >= 500 ? Failures.classify(e).getMessage() : e.getMessage();
        return problem(code, status, detail, uri, List.of()); // the status HTTP answers with, in the body too (406, 415, ...)
    }

    /** A body that could not be read: cut off, or not in the encoding it claims (Jackson guesses UTF-32 from nul bytes). */
    @ServerExceptionMapper
    public Response unreadable(java.io.IOException e, UriInfo uri) {
        LOG.debugf(e, "request %s: unreadable body", uri.getPath());
        return problem(ErrorCode.INVALID_ARGUMENT, "the request body could not be read (cut off, or not UTF-8 JSON); send a complete "
                + "UTF-8 JSON body", uri, List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        QuiverException failure = Failures.classify(e);
        LOG.errorf(e, "request %s failed with %s", uri.getPath(), failure.code());
        return problem(failure.code(), failure.getMessage(), uri, failure.violations());
    }

    private Response problem(ErrorCode code, String detail, UriInfo uri, List<Violation> violations) {
        return problem(code, code.httpStatus(), detail, uri, violations);
    }

    private Response problem(ErrorCode code, int status, String detail, UriInfo uri, List<Violation> violations) {
        metrics.error("rest", code);
        String title = code.name().charAt(0) + code.name().substring(1).toLowerCase(Locale.ROOT).replace('_', ' ');
        Problem body = new Problem("urn:quiver:error:" + code.name().toLowerCase(Locale.ROOT), title, status,
                redaction.redact(detail), code.name(), uri.getPath(), violations.stream().map(v -> new Violation(v.path(), v.rule(),
                        redaction.redact(v.message()))).toList(), RequestIds.current());
        Response.ResponseBuilder r = Response.status(status).type(Problem.MEDIA_TYPE).entity(body);
        if (status == 503) {
            r.header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return r.build();
    }
}
