package io.quiver.api.rest;

import java.util.List;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quiver.error.ErrorCode;
import io.quiver.error.Failures;
import io.quiver.error.QuiverException;
import io.quiver.error.Violation;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Maps every failure of a REST call to problem+json, once, in one place. Clients never see a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response quiver(QuiverException e, UriInfo uri) {
        if (e.code().httpStatus() >= 500) {
            LOG.errorf(e, "request %s failed with %s", uri.getPath(), e.code());
        }
        return problem(e.code(), e.getMessage(), uri, e.violations());
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e, UriInfo uri) {
        return problem(ErrorCode.INVALID_ARGUMENT, "the request body is not valid JSON for this endpoint: "
                + e.getOriginalMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        ErrorCode code = status == 404 ? ErrorCode.INVALID_ARGUMENT : status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.INVALID_ARGUMENT;
        return Response.fromResponse(problem(code, e.getMessage(), uri, List.of())).status(status).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        QuiverException failure = Failures.classify(e);
        LOG.errorf(e, "request %s failed with %s", uri.getPath(), failure.code());
        return problem(failure.code(), failure.getMessage(), uri, List.of());
    }

    static Response problem(ErrorCode code, String detail, UriInfo uri, List<Violation> violations) {
        String title = code.name().charAt(0) + code.name().substring(1).toLowerCase(Locale.ROOT).replace('_', ' ');
        Problem body = new Problem("urn:quiver:error:" + code.name().toLowerCase(Locale.ROOT), title, code.httpStatus(), detail,
                code.name(), uri.getPath(), violations);
        return Response.status(code.httpStatus()).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
