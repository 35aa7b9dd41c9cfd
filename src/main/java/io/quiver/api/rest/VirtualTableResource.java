package io.quiver.api.rest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quiver.columnar.ColumnarFormat;
import io.quiver.columnar.ColumnarOutput;
import io.quiver.columnar.DuckDbEngine;
import io.quiver.columnar.DuckDbTypes;
import io.quiver.columnar.TempDirectory;
import io.quiver.error.InvalidArgumentException;
import io.quiver.virtual.QueryExecutor;
import io.quiver.virtual.VirtualTables;
import io.quiver.security.Requires;
import io.quiver.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * A virtual table query over REST, for answers too large for JSON: the body is the query as JSON, the answer an
 * Arrow IPC stream (default) or a Parquet file, by Accept.
 */
@Path("/api/v1/virtual-tables")
public class VirtualTableResource {

    private final VirtualTables tables;
    private final DuckDbEngine engine;

    public VirtualTableResource(VirtualTables tables, DuckDbEngine engine) {
        this.tables = tables;
        this.engine = engine;
    }

    /** The query: columns (all when omitted), predicates, orderBy, limit (100 when omitted). */
    public record Body(List<String> columns, List<VirtualTables.Condition> predicates, List<QueryExecutor.Order> orderBy, Integer limit) {
    }

    @Requires(Role.READER)
    @POST
    @Path("/{table}/query")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Query a virtual table (the seeds' query_via_virtual_layer): {columns, predicates: [{column, op, values}], "
            + "orderBy: [{column, descending}], limit}; the answer is Arrow IPC (default) or Parquet, by Accept")
    public Response query(@PathParam("table") String table, @HeaderParam(HttpHeaders.ACCEPT) String accept, Body body) {
        if (body == null) {
            throw new InvalidArgumentException("send the query as JSON: {\"predicates\": [{\"column\": \"x\", \"op\": \"EQ\", \"values\": [1]}]}");
        }
        ColumnarFormat format = format(accept);
        TempDirectory dir = new TempDirectory("quiver-table");
        try {
            VirtualTables.Result result = tables.query(table, new VirtualTables.Request(body.columns(), body.predicates(), body.orderBy(),
                    body.limit()), dir.path());
            StreamingOutput stream = out -> {
                try (dir; Connection c = engine.connect()) {
                    ColumnarOutput.write(c, "SELECT * FROM read_parquet(" + DuckDbTypes.literal(result.file().toAbsolutePath().toString())
                            + ")", format, out, dir.path());
                } catch (SQLException e) {
                    throw new java.io.IOException("could not write the virtual table's answer", e);
                }
            };
            return Response.ok(stream, format.mediaType()).build();
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    private static ColumnarFormat format(String accept) {
        if (accept == null || accept.isBlank()) {
            return ColumnarFormat.ARROW_STREAM;
        }
        for (String option : accept.split(",")) {
            String type = option.split(";", 2)[0].trim();
            if (type.equals("*/*") || type.equals("application/*")) {
                return ColumnarFormat.ARROW_STREAM;
            }
            var format = ColumnarFormat.of(type);
            if (format.isPresent()) {
                return format.get();
            }
        }
        throw new WebApplicationException("a virtual table answers " + ColumnarFormat.ARROW_STREAM.mediaType() + " or "
                + ColumnarFormat.PARQUET.mediaType() + "; Accept was " + accept, Response.Status.NOT_ACCEPTABLE);
    }
}
