package io.quiver.api.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quiver.api.http.RequestBudget;
import io.quiver.config.QuiverConfig;
import io.quiver.error.FeatureNotFoundException;
import io.quiver.error.InvalidArgumentException;
import io.quiver.offline.HistoricalRetriever;
import io.quiver.registry.FeatureGroupCache;
import io.quiver.registry.RegistryCatalog;
import io.quiver.registry.model.EntityDefinition;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.GroupSchema;
import io.quiver.serving.OnlineResult;
import io.quiver.serving.OnlineServing;
import io.quiver.security.Requires;
import io.quiver.security.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The Feature Store 2.0 seed's serving shapes, a thin adapter over the same serving paths: feature sets are feature
 * groups (latest versions) or feature services (all their features), features are named bare (or {@code set.feature} where two sets share a name), entities
 * are named by entity (or join key). Same validation and errors as everywhere else.
 */
@Path("/api/v1/serving")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SeedServingResource {

    private final OnlineServing online;
    private final HistoricalRetriever historical;
    private final FeatureGroupCache groups;
    private final RegistryCatalog catalog;
    private final io.quiver.registry.FeatureServices services;
    private final int maxEntities;
    private final int maxRows;
    private final io.quiver.registry.GroupGate gate;

    public SeedServingResource(OnlineServing online, HistoricalRetriever historical, FeatureGroupCache groups, RegistryCatalog catalog,
            QuiverConfig config, io.quiver.registry.FeatureServices services, io.quiver.registry.GroupGate gate) {
        this.gate = gate;
        this.services = services;
        this.online = online;
        this.historical = historical;
        this.groups = groups;
        this.catalog = catalog;
        this.maxEntities = config.api().maxOnlineEntities();
        this.maxRows = config.ingest().maxGraphqlRows();
    }

    public record OnlineRequest(@JsonProperty("feature_sets") List<String> featureSets, Map<String, List<Object>> entities,
            List<String> features) {
    }

    public record HistoricalRequest(@JsonProperty("feature_sets") List<String> featureSets, @JsonProperty("entity_df") EntityFrame entityDf,
            List<String> features, @JsonProperty("timestamp_column") String timestampColumn) {
    }

    public record EntityFrame(List<String> columns, List<List<Object>> data) {
    }

    @Requires(Role.READER)
    @POST
    @Path("/online")
    @Operation(summary = "Online features in the Feature Store 2.0 shape: {feature_sets, entities: {entity: [ids]}, features} -> "
            + "{features: {id: {feature: value}}, metadata: {latency_ms, cache_hit}}")
    public Map<String, Object> online(OnlineRequest request) {
        if (request == null || request.entities() == null || request.entities().size() != 1) {
            throw new InvalidArgumentException("send {\"feature_sets\": [\"group\"], \"entities\": {\"entity\": [ids]}, \"features\": [\"feature\"]} "
                    + "with exactly one entity in entities");
        }
        Map.Entry<String, List<Object>> entity = request.entities().entrySet().iterator().next();
        String key = joinKey(entity.getKey());
        List<Object> ids = entity.getValue() == null ? List.of() : entity.getValue();
        RequestBudget.take("entities", ids.size(), maxEntities, "quiver.api.max-online-entities", "split the read");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object id : ids) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(key, id);
            rows.add(row);
        }
        OnlineResult result = online.read(references(request.featureSets(), request.features()), rows, false);
        Map<String, Object> byId = new LinkedHashMap<>();
        List<OnlineResult.Column> columns = result.columns();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (OnlineResult.Column c : columns) {
                if (!c.name().equals(key)) {
                    Object v = c.values().get(i);
                    // numbers arrive as their exact text: written as they are, not as a string
                    values.put(c.name(), v instanceof io.quiver.json.JsonText t ? new com.fasterxml.jackson.databind.util.RawValue(t.text()) : v);
                }
            }
            byId.put(String.valueOf(ids.get(i)), values);
        }
        boolean allOnline = result.metadata().groups().stream().allMatch(g -> g.source() == OnlineResult.Source.ONLINE);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("latency_ms", result.metadata().servingLatencyMs());
        metadata.put("cache_hit", allOnline); // every value came from the online store (Redis), none computed or read offline
        metadata.put("degraded", result.metadata().degraded());
        return Map.of("features", byId, "metadata", metadata);
    }

    @Requires(Role.READER)
    @POST
    @Path("/historical")
    @Operation(summary = "Point-in-time features in the Feature Store 2.0 shape: {feature_sets, entity_df: {columns, data}, features} -> "
            + "{columns, data, metadata: {latency_ms, rows}}")
    public Map<String, Object> historical(HistoricalRequest request) {
        if (request == null || request.entityDf() == null || request.entityDf().columns() == null || request.entityDf().data() == null) {
            throw new InvalidArgumentException("send {\"feature_sets\": [\"group\"], \"entity_df\": {\"columns\": [\"user_id\", "
                    + "\"event_timestamp\"], \"data\": [[...], ...]}, \"features\": [\"feature\"]}");
        }
        long started = System.nanoTime();
        List<String> columns = request.entityDf().columns();
        List<List<Object>> data = request.entityDf().data();
        RequestBudget.take("entity_df rows", data.size(), maxRows, "quiver.ingest.max-graphql-rows",
                "send larger entity tables to POST /api/v1/historical-features as Arrow or Parquet");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int r = 0; r < data.size(); r++) {
            List<Object> values = data.get(r);
            if (values == null || values.size() != columns.size()) {
                throw new InvalidArgumentException("entity_df.data[" + r + "] has " + (values == null ? 0 : values.size()) + " values for "
                        + columns.size() + " columns");
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                row.put(columns.get(c), values.get(c));
            }
            rows.add(row);
        }
        List<Map<String, Object>> answer = historical.retrieve(references(request.featureSets(), request.features()), rows,
                request.timestampColumn() == null ? "event_timestamp" : request.timestampColumn(), false, null, null);
        List<String> names = answer.isEmpty() ? List.of() : List.copyOf(answer.get(0).keySet());
        List<List<Object>> out = answer.stream().map(m -> (List<Object>) new ArrayList<>(m.values())).toList();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("latency_ms", (System.nanoTime() - started) / 1e6);
        metadata.put("rows", out.size());
        return Map.of("columns", names, "data", out, "metadata", metadata);
    }

    /** The join key of the entity named (or the name itself when it is a join key of no entity of that name). */
    private String joinKey(String name) {
        EntityDefinition e = catalog.entities(List.of(name)).get(name);
        if (e == null) {
            return name;
        }
        if (e.joinKeys().size() != 1) {
            throw new InvalidArgumentException("entity '" + name + "' has " + e.joinKeys().size() + " join keys; name them in "
                    + "POST /get-online-features instead");
        }
        return e.joinKeys().get(0).name();
    }

    /** {@code set.feature} references for the features (all of the sets' when none are named). */
    private List<String> references(List<String> sets, List<String> features) {
        if (sets == null || sets.isEmpty()) {
            throw new InvalidArgumentException("name at least one feature set (a feature group) in feature_sets");
        }
        List<GroupSchema> schemas = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (String set : sets) {
            if (set == null || !io.quiver.registry.model.Names.isValid(set)) {
                throw new InvalidArgumentException("feature_sets holds '" + set + "', not the name of a feature group or feature service");
            }
            gate.check(set, io.quiver.registry.model.GroupAction.READ); // before the lookup: its errors would describe the group
            java.util.Optional<GroupSchema> group = groups.get(set, 0);
            if (group.isPresent()) {
                schemas.add(group.get());
            } else if (groups.service(set, 0).isPresent()) {
                out.addAll(services.expand(set).references()); // a feature service: all its features
            } else {
                throw catalog.groupNotFound(set, 0);
            }
        }
        if (schemas.isEmpty()) {
            return out;
        }
        if (features == null || features.isEmpty()) {
            schemas.forEach(s -> s.features().forEach(f -> out.add(s.group().name() + "." + f.name())));
            return out.stream().distinct().toList();
        }
        for (String f : features) {
            if (f != null && f.contains(".")) {
                out.add(f);
                continue;
            }
            List<String> in = schemas.stream().filter(s -> s.feature(f).isPresent()).map(s -> s.group().name()).toList();
            if (in.isEmpty()) {
                throw new FeatureNotFoundException("feature '" + f + "' is in none of the feature sets " + sets + "; their features: "
                        + schemas.stream().flatMap(s -> s.features().stream().map(Feature::name)).distinct().toList());
            }
            if (in.size() > 1) {
                throw new InvalidArgumentException("feature '" + f + "' is in several feature sets " + in + "; name it as set.feature");
            }
            out.add(in.get(0) + "." + f);
        }
        return out.stream().distinct().toList();
    }
}
