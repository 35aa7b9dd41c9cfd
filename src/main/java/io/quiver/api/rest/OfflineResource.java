package io.quiver.api.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.quiver.columnar.ColumnarFormat;
import io.quiver.error.InvalidArgumentException;
import io.quiver.ingest.BulkIngestService;
import io.quiver.offline.HistoricalRetriever;
import io.quiver.offline.SnapshotPin;
import io.quiver.ingest.WriteResult;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import io.quiver.offline.WriteMode;
import io.quiver.security.Requires;
import io.quiver.security.Role;

/** Bulk offline data over REST: Arrow IPC streams and Parquet files in (writes) and out (training sets). */
@Path("/api/v1")
public class OfflineResource {

    private static final String FORMATS = ColumnarFormat.ARROW_MEDIA_TYPE + " or " + ColumnarFormat.PARQUET_MEDIA_TYPE;

    private final BulkIngestService ingest;
    private final HistoricalRetriever historical;
    private final io.quiver.registry.FeatureServices services;

    /** Names the feature service version a training set was read with. */
    public static final String FEATURE_SERVICE_HEADER = "Quiver-Feature-Service";
    /** Names the engine a training set ran on (DUCKDB or SPARK); {@link #ENGINE_REASON_HEADER} says why. */
    public static final String ENGINE_HEADER = "Quiver-Engine";
    public static final String ENGINE_REASON_HEADER = "Quiver-Engine-Reason";

    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final int maxJsonRows;
    private final io.quiver.registry.GroupGate gate;

    public OfflineResource(BulkIngestService ingest, HistoricalRetriever historical, io.quiver.registry.FeatureServices services,
            com.fasterxml.jackson.databind.ObjectMapper json, io.quiver.config.QuiverConfig config, io.quiver.registry.GroupGate gate) {
        this.gate = gate;
        this.json = json;
        this.maxJsonRows = config.ingest().maxGraphqlRows();
        this.services = services;
        this.ingest = ingest;
        this.historical = historical;
    }

    @Requires(Role.WRITER)
    @POST
    @Path("/groups/{group}/data")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Bulk write: the body (Arrow IPC stream or Parquet, by Content-Type) is validated whole against "
            + "the group version's schema, then committed as one snapshot: appended, overwriting, or replacing the "
            + "event-time range [backfillStart, backfillEnd)")
    public WriteResult write(@PathParam("group") String group, @QueryParam("version") String version,
            @QueryParam("mode") String mode, @QueryParam("backfillStart") String backfillStart,
            @QueryParam("backfillEnd") String backfillEnd, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            InputStream body) {
        gate.check(group, io.quiver.registry.model.GroupAction.WRITE); // before a byte of the body is read
        ColumnarFormat format = ColumnarFormat.of(contentType).orElseThrow(() -> new WebApplicationException(
                "Content-Type must be " + FORMATS + ", not " + contentType, Response.Status.UNSUPPORTED_MEDIA_TYPE));
        return ingest.write(group, version(version), format, body, mode(mode),
                instant("backfillStart", backfillStart), instant("backfillEnd", backfillEnd));
    }

    @Requires(Role.READER)
    @POST
    @Path("/historical-features")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Point-in-time correct training set: the body is the entity table (Arrow IPC stream or Parquet: "
            + "join keys, a timestamp column, any other columns, carried through); the answer has one row per entity row, "
            + "in order, with each requested feature as of that row's timestamp (Arrow or Parquet, by Accept; the "
            + "request's format by default). Reproducible: asOf reads every group as of a moment, snapshot=group:id pins one. "
            + "engine=DUCKDB or SPARK chooses where the join runs (by default: the query_executor_type and size rule); the "
            + "Quiver-Engine header says where it ran and Quiver-Engine-Reason why")
    public Response historicalFeatures(@QueryParam("features") List<String> features,
            @QueryParam("featureService") String featureService,
            @QueryParam("timestampColumn") @DefaultValue("event_timestamp") String timestampColumn,
            @QueryParam("fullFeatureNames") @DefaultValue("false") boolean fullFeatureNames,
            @QueryParam("asOf") String asOf, @QueryParam("snapshot") List<String> snapshots, @QueryParam("engine") String engine,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, RoutingContext request, InputStream body) {
        ColumnarFormat in = ColumnarFormat.of(contentType).orElseThrow(() -> new WebApplicationException(
                "Content-Type must be " + FORMATS + ", not " + contentType, Response.Status.UNSUPPORTED_MEDIA_TYPE));
        ColumnarFormat out = accepted(accept, in);
        io.quiver.registry.FeatureServices.Selection asked = services.select(references(features), featureService);
        HistoricalRetriever.Prepared result = historical.prepare(asked.references(), in, body, timestampColumn,
                fullFeatureNames, instant("asOf", asOf), pins(snapshots), engine(engine));
        // closed after writing, or when the exchange ends without the body being written (client gone)
        request.addEndHandler(ended -> result.close());
        StreamingOutput stream = output -> {
            try (result) {
                result.writeTo(output, out);
            }
        };
        Response.ResponseBuilder ok = Response.ok(stream, out.mediaType()).header(ENGINE_HEADER, result.route().engine().name())
                .header(ENGINE_REASON_HEADER, result.route().reason());
        if (asked.label() != null) {
            ok.header(FEATURE_SERVICE_HEADER, asked.label());
        }
        return ok.build();
    }

    /** A training-set request sent as a body: the feature list has no length limit there. */
    public record TrainingSetRequest(List<String> features, String featureService, String timestampColumn, Boolean fullFeatureNames,
            String asOf, List<String> snapshots, List<Map<String, Object>> entityRows, String engine) {
    }

    @Requires(Role.READER)
    @POST
    @Path("/historical-features")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Point-in-time correct training set with the request in the body, for feature lists of any length: "
            + "a form part 'request' (JSON: features, featureService, timestampColumn, fullFeatureNames, asOf, snapshots) and "
            + "a part 'entities' (the entity table, Arrow IPC stream or Parquet by its Content-Type); the answer as for the "
            + "entity table sent alone")
    public Response historicalFeaturesForm(@RestForm("request") String request, @RestForm("entities") FileUpload entities,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, RoutingContext routing) throws IOException {
        TrainingSetRequest r = parse(request);
        if (entities == null) {
            throw new InvalidArgumentException("send the entity table as the form part 'entities' (Arrow IPC stream or Parquet)");
        }
        try (InputStream body = Files.newInputStream(entities.uploadedFile())) {
            return historicalFeatures(r.features(), r.featureService(), r.timestampColumn() == null ? "event_timestamp" : r.timestampColumn(),
                    Boolean.TRUE.equals(r.fullFeatureNames()), r.asOf(), r.snapshots(), r.engine(), entities.contentType(), accept, routing, body);
        }
    }

    @Requires(Role.READER)
    @POST
    @Path("/historical-features")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Point-in-time correct training set for a small entity table sent as JSON rows (entityRows), with "
            + "features and/or featureService in the body; answers the rows with the service version and features read")
    public TrainingSet historicalFeaturesJson(TrainingSetRequest r) {
        if (r == null) {
            throw new InvalidArgumentException("send a JSON body: {\"features\": [...] or \"featureService\": \"name\", \"entityRows\": [{...}]}");
        }
        List<Map<String, Object>> rows = r.entityRows() == null ? List.of() : r.entityRows();
        if (rows.size() > maxJsonRows) {
            throw new InvalidArgumentException(rows.size() + " entity rows; a JSON body takes at most " + maxJsonRows
                    + " (quiver.ingest.max-graphql-rows): send larger entity tables as Arrow or Parquet (multipart)");
        }
        if (engine(r.engine()) == io.quiver.offline.ScaleOutJoin.Engine.SPARK) {
            throw new InvalidArgumentException("a JSON training set (at most " + maxJsonRows + " rows) runs on DuckDB; send the entity table "
                    + "as Arrow or Parquet to run it on Spark");
        }
        io.quiver.registry.FeatureServices.Selection asked = services.select(r.features(), r.featureService());
        return new TrainingSet(asked.label(), asked.references(), historical.retrieve(asked.references(), rows,
                r.timestampColumn() == null ? "event_timestamp" : r.timestampColumn(), Boolean.TRUE.equals(r.fullFeatureNames()),
                instant("asOf", r.asOf()), pins(r.snapshots())));
    }

    /** A training set answered as JSON, with what it contains. */
    public record TrainingSet(String featureService, List<String> features, List<Map<String, Object>> rows) {
    }

    private TrainingSetRequest parse(String request) {
        if (request == null || request.isBlank()) {
            throw new InvalidArgumentException("send the form part 'request': JSON with features and/or featureService");
        }
        try {
            return json.readValue(request, TrainingSetRequest.class);
        } catch (IOException e) {
            throw new InvalidArgumentException("the form part 'request' is not the JSON expected ({\"features\": [\"group.feature\", ...], "
                    + "\"featureService\": \"name\", \"timestampColumn\", \"fullFeatureNames\", \"asOf\", \"snapshots\"}): "
                    + io.quiver.api.http.JsonLimits.describe(e));
        }
    }

    /** The engine a training set asks for: AUTO (the default), DUCKDB or SPARK. */
    private static io.quiver.offline.ScaleOutJoin.Engine engine(String engine) {
        if (engine == null || engine.isBlank()) {
            return io.quiver.offline.ScaleOutJoin.Engine.AUTO;
        }
        try {
            return io.quiver.offline.ScaleOutJoin.Engine.valueOf(engine.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("engine must be AUTO, DUCKDB or SPARK, not '" + engine + "'");
        }
    }

    /** features=a.b&features=c.d, or comma-separated. */
    private static List<String> references(List<String> features) {
        List<String> out = new ArrayList<>();
        if (features != null) {
            for (String f : features) {
                for (String part : f.split(",")) {
                    if (!part.isBlank()) {
                        out.add(part.trim());
                    }
                }
            }
        }
        return out;
    }

    /** snapshot=group:id, repeated or comma-separated. */
    private static List<SnapshotPin> pins(List<String> snapshots) {
        List<SnapshotPin> out = new ArrayList<>();
        for (String pin : references(snapshots)) {
            String[] parts = pin.split(":", 2);
            try {
                out.add(new SnapshotPin(parts[0], Long.parseLong(parts[1].trim())));
            } catch (RuntimeException e) {
                throw new InvalidArgumentException("snapshot must be group:id, e.g. snapshot=customer_profile:42, not '" + pin + "'");
            }
        }
        return out;
    }

    private static ColumnarFormat accepted(String accept, ColumnarFormat fallback) {
        if (accept == null || accept.isBlank()) {
            return fallback;
        }
        for (String option : accept.split(",")) {
            String type = option.split(";", 2)[0].trim();
            if (type.equals("*/*") || type.equals("application/*")) {
                return fallback;
            }
            var format = ColumnarFormat.of(type);
            if (format.isPresent()) {
                return format.get();
            }
        }
        throw new WebApplicationException("the training set comes as " + FORMATS + "; Accept was " + accept,
                Response.Status.NOT_ACCEPTABLE);
    }

    /** A query parameter parsed here: JAX-RS answers a malformed Integer parameter with 404. */
    private static int version(String version) {
        if (version == null || version.isBlank()) {
            return 0;
        }
        try {
            int v = Integer.parseInt(version.trim());
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("version must be a positive whole number (or omitted for the latest), not '" + version + "'");
        }
    }

    private static WriteMode mode(String mode) {
        if (mode == null || mode.isBlank()) {
            return null;
        }
        try {
            return WriteMode.valueOf(mode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("mode must be APPEND or OVERWRITE, not '" + mode + "'");
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new InvalidArgumentException(name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z, not '" + value + "'");
        }
    }
}
