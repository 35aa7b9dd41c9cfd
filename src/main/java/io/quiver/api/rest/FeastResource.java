package io.quiver.api.rest;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quiver.api.http.RequestBudget;
import io.quiver.config.QuiverConfig;
import io.quiver.error.InvalidArgumentException;
import io.quiver.json.JsonText;
import io.quiver.serving.OnlineResult;
import io.quiver.serving.OnlineServing;
import io.quiver.security.Requires;
import io.quiver.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.StreamingOutput;

/**
 * Feast's HTTP feature server API ({@code POST /get-online-features}): the same request and response shapes, so
 * Feast HTTP clients work against Quiver. Feature references may use Feast's {@code view:feature} form. The
 * response's metadata adds Quiver's serving latency, degraded flag and per-group source. The answer is computed
 * before anything is written (errors are problem+json), then streamed.
 */
@Path("/get-online-features")
public class FeastResource {

    private final OnlineServing serving;
    private final ObjectMapper json;
    private final int maxEntities;

    public FeastResource(OnlineServing serving, ObjectMapper json, QuiverConfig config) {
        this.serving = serving;
        this.json = json;
        this.maxEntities = config.api().maxOnlineEntities();
    }

    /** Feast's request: features, entities column-wise (join key -> values), full_feature_names. */
    public record Request(List<String> features, Map<String, List<Object>> entities,
            @JsonProperty("full_feature_names") Boolean fullFeatureNames,
            @JsonProperty("feature_service") String featureService) {
    }

    @Requires(Role.READER)
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Feast-compatible online read: {features, entities: {join_key: [values]}, full_feature_names}")
    public StreamingOutput getOnlineFeatures(Request request) {
        if (request == null) {
            throw new InvalidArgumentException("send a JSON body: {\"features\": [\"view:feature\"], \"entities\": {\"key\": [values]}}");
        }
        List<Map<String, Object>> entities = rows(request.entities());
        RequestBudget.take("entities", entities.size(), maxEntities, "quiver.api.max-online-entities",
                "split the read, or use POST /api/v1/historical-features for batch scoring");
        OnlineResult result = serving.read(request.features(), request.featureService(), entities,
                request.fullFeatureNames() != null && request.fullFeatureNames());
        // written with a streaming generator: tens of thousands of values, statuses and times per answer
        return out -> {
            try (JsonGenerator g = json.getFactory().createGenerator(out)) {
                new FeastResponseWriter(json, g).write(result);
            }
        };
    }

    /** Column-wise entities to one map per entity; every column must have the same length. */
    private static List<Map<String, Object>> rows(Map<String, List<Object>> entities) {
        if (entities == null || entities.isEmpty()) {
            throw new InvalidArgumentException("give entities as {\"join_key\": [value, ...]}, one list per join key");
        }
        int n = -1;
        for (Map.Entry<String, List<Object>> e : entities.entrySet()) {
            if (e.getKey() == null) {
                throw new InvalidArgumentException("entity columns need a join key name");
            }
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
