package io.quiver.offline;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.quiver.error.InvalidArgumentException;
import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.validation.ValueChecker;
import io.quiver.serving.EntityKeys;
import io.quiver.serving.FeatureResolver;
import io.quiver.serving.ResolvedFeature;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a historical request's feature references into a plan: the features of each group version in request
 * order, their output names ({@code feature}, or {@code group__feature} with full names), and the join keys the
 * entity rows need (groups sharing a key name must agree on its type). Also checks JSON entity rows.
 */
@ApplicationScoped
public class HistoricalPlanner {

    private static final int MAX_LISTED = 100;

    private final FeatureResolver resolver;

    public HistoricalPlanner(FeatureResolver resolver) {
        this.resolver = resolver;
    }

    /** The features of one group version with their output column names. */
    record GroupRequest(GroupSchema schema, List<Feature> features, List<String> outputNames) {
    }

    /** What to join: groups in request order, output names in request order, join keys by name. */
    record Plan(List<GroupRequest> requests, Set<String> outputs, Map<String, DataType> keys) {

        List<GroupSchema> groups() {
            return requests.stream().map(GroupRequest::schema).toList();
        }

        List<PointInTimeJoin.Part> parts(Connection c, Map<GroupSchema, List<Path>> files) {
            return requests.stream().map(r -> {
                List<Path> paths = files.getOrDefault(r.schema(), List.of());
                return new PointInTimeJoin.Part(r.schema(), r.features(), r.outputNames(),
                        paths.isEmpty() ? null : SnapshotScan.of(c, r.schema(), paths));
            }).toList();
        }
    }

    Plan plan(List<String> references, boolean fullFeatureNames) {
        if (references == null || references.isEmpty()) {
            throw new InvalidArgumentException("name at least one feature, e.g. features: [\"customer_360.avg_ticket\"]");
        }
        Map<GroupSchema, List<Feature>> byGroup = new LinkedHashMap<>();
        Map<GroupSchema, List<String>> names = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String reference : references) {
            ResolvedFeature r = resolver.resolve(reference);
            String column = fullFeatureNames ? r.feature().group() + "__" + r.feature().name() : r.feature().name();
            if (!seen.add(column)) {
                throw new InvalidArgumentException("two requested features would both be named '" + column + "'"
                        + (fullFeatureNames ? "; each feature may be requested once" : "; set fullFeatureNames: true"));
            }
            byGroup.computeIfAbsent(r.schema(), s -> new ArrayList<>()).add(r.feature());
            names.computeIfAbsent(r.schema(), s -> new ArrayList<>()).add(column);
        }
        List<GroupRequest> requests = new ArrayList<>();
        byGroup.forEach((g, features) -> requests.add(new GroupRequest(g, features, names.get(g))));
        return new Plan(requests, seen, EntityKeys.keyTypes(byGroup.keySet()));
    }

    /** Checks the entity rows and returns, per row, its typed keys and timestamp. */
    static List<Map<String, Object>> entities(List<Map<String, Object>> rows, Map<String, DataType> keys,
            String timestampColumn, Set<String> featureColumns) {
        List<Violation> listed = new ArrayList<>();
        long total = 0;
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            Map<String, Object> typed = new LinkedHashMap<>();
            typed.put(PointInTimeJoin.ROW, i);
            List<Violation> problems = new ArrayList<>();
            for (Map.Entry<String, DataType> k : keys.entrySet()) {
                Object v = row.get(k.getKey());
                Object converted = EntityKeys.convert(v, k.getValue());
                if (converted == null) {
                    problems.add(new Violation("entityRows[" + i + "]." + k.getKey(), v == null ? "MISSING_KEY" : "TYPE",
                            v == null ? "every entity row needs the join key '" + k.getKey() + "'"
                                    : "'" + v + "' is not a valid " + k.getValue() + " key"));
                }
                typed.put(k.getKey(), converted);
            }
            Object ts = row.get(timestampColumn);
            try {
                typed.put(PointInTimeJoin.TS, Instant.parse(ValueChecker.normalize(
                        FeatureDataType.scalar(DataType.TIMESTAMP), (String) ts)).toString());
            } catch (ClassCastException | NullPointerException | IllegalArgumentException | DateTimeParseException e) {
                problems.add(new Violation("entityRows[" + i + "]." + timestampColumn, ts == null ? "MISSING_TIMESTAMP" : "TYPE",
                        "every entity row needs '" + timestampColumn + "' as ISO-8601 text, e.g. 2026-01-31T12:00:00Z"));
            }
            for (String c : featureColumns) {
                if (row.containsKey(c)) {
                    problems.add(new Violation("entityRows[" + i + "]." + c, "COLUMN_COLLISION",
                            "the entity row already has a column named like the requested feature '" + c
                                    + "'; rename it or use fullFeatureNames"));
                }
            }
            total += problems.size();
            problems.stream().limit(Math.max(0, MAX_LISTED - listed.size())).forEach(listed::add);
            out.add(typed);
        }
        if (total > 0) {
            throw new SchemaValidationException("The entity rows", listed, total, false);
        }
        return out;
    }


}
