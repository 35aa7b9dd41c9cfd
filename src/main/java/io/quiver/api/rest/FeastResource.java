package io.quiver.api.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quiver.error.InvalidArgumentException;
import io.quiver.serving.OnlineResult;
import io.quiver.serving.OnlineServing;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Feast's HTTP feature server API ({@code POST /get-online-features}): the same request and response shapes, so
 * Feast HTTP clients work against Quiver. Feature references may use Feast's {@code view:feature} form. The
 * response's metadata adds Quiver's serving latency, degraded flag and per-group source.
 */
@Path("/get-online-features")
public class FeastResource {

    private static final String EPOCH = Instant.EPOCH.toString();

    private final OnlineServing serving;

    public FeastResource(OnlineServing serving) {
        this.serving = serving;
    }

    /** Feast's request: features, entities column-wise (join key -> values), full_feature_names. */
    public record Request(List<String> features, Map<String, List<Object>> entities,
            @JsonProperty("full_feature_names") Boolean fullFeatureNames,
            @JsonProperty("feature_service") String featureService) {
    }

    /** Feast's response: metadata.feature_names and one result per name. */
    public record Response(Metadata metadata, List<Result> results) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metadata(@JsonProperty("feature_names") List<String> featureNames,
            @JsonProperty("serving_latency_ms") double servingLatencyMs, boolean degraded,
            List<OnlineResult.GroupSource> groups) {
    }

    public record Result(List<Object> values, List<String> statuses, @JsonProperty("event_timestamps") List<String> eventTimestamps) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Feast-compatible online read: {features, entities: {join_key: [values]}, full_feature_names}")
    public Response getOnlineFeatures(Request request) {
        if (request == null) {
            throw new InvalidArgumentException("send a JSON body: {\"features\": [\"view:feature\"], \"entities\": {\"key\": [values]}}");
        }
        if (request.featureService() != null && (request.features() == null || request.features().isEmpty())) {
            throw new InvalidArgumentException("Quiver has no feature services; list the features instead: "
                    + "\"features\": [\"group:feature\", ...]");
        }
        OnlineResult result = serving.read(request.features(), rows(request.entities()),
                request.fullFeatureNames() != null && request.fullFeatureNames());
        List<Result> results = new ArrayList<>();
        for (OnlineResult.Column c : result.columns()) {
            results.add(new Result(c.values(), c.statuses().stream().map(Enum::name).toList(),
                    c.eventTimestamps().stream().map(t -> t == null ? EPOCH : t.toString()).toList()));
        }
        OnlineResult.Metadata m = result.metadata();
        return new Response(new Metadata(m.featureNames(), m.servingLatencyMs(), m.degraded(), m.groups()), results);
    }

    /** Column-wise entities to one map per entity; every column must have the same length. */
    private static List<Map<String, Object>> rows(Map<String, List<Object>> entities) {
        if (entities == null || entities.isEmpty()) {
            throw new InvalidArgumentException("give entities as {\"join_key\": [value, ...]}, one list per join key");
        }
        int n = -1;
        for (Map.Entry<String, List<Object>> e : entities.entrySet()) {
            int size = e.getValue() == null ? 0 : e.getValue().size();
            if (n >= 0 && size != n) {
                throw new InvalidArgumentException("every entity column must have the same length; '" + e.getKey() + "' has " + size
                        + " values, others " + n);
            }
            n = size;
        }
        List<Map<String, Object>> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (Map.Entry<String, List<Object>> e : entities.entrySet()) {
                row.put(e.getKey(), e.getValue().get(i));
            }
            rows.add(row);
        }
        return rows;
    }
}
