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
import io.quiver.error.Violations;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.Feature;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.validation.ValueChecker;
import io.quiver.registry.model.EntityKeys;
import io.quiver.registry.FeatureResolver;
import io.quiver.registry.FeatureSelection;
import io.quiver.registry.ResolvedFeature;
import io.quiver.error.ValidationRule;
import jakarta.enterprise.context.ApplicationScoped;
import io.quiver.error.SchemaValidationException;
import io.quiver.error.Violation;

/**
 * Turns a historical request's feature references into a plan: the features of each group version in request
 * order, their output names ({@code feature}, or {@code group__feature} with full names), and the join keys the
 * entity rows need (groups sharing a key name must agree on its type). Also checks JSON entity rows.
 */
@ApplicationScoped
public class HistoricalPlanner {

    private final FeatureResolver resolver;

    public HistoricalPlanner(FeatureResolver resolver) {
        this.resolver = resolver;
    }

    /** What to join: the selection and, per group, its snapshot's scan. */
    record Plan(FeatureSelection selection) {

        List<GroupSchema> groups() {
            return selection.schemas();
        }

        Set<String> outputs() {
            return selection.outputs();
        }

        Map<String, DataType> keys() {
            return selection.keyTypes();
        }

        List<PointInTimeJoin.Part> parts(Connection c, Map<GroupSchema, List<Path>> files) {
            return selection.groups().stream().map(r -> {
                List<Path> paths = files.getOrDefault(r.schema(), List.of());
                return new PointInTimeJoin.Part(r.schema(), r.features(), r.names(),
                        paths.isEmpty() ? null : SnapshotScan.of(c, r.schema(), paths));
            }).toList();
        }
    }

    Plan plan(List<String> references, boolean fullFeatureNames) {
        return new Plan(FeatureSelection.resolve(resolver, references, fullFeatureNames));
    }

    /** Checks the entity rows and returns, per row, its typed keys and timestamp. */
    static List<Map<String, Object>> entities(List<Map<String, Object>> rows, Map<String, DataType> keys,
            String timestampColumn, Set<String> featureColumns) {
        Violations violations = new Violations();
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            Map<String, Object> typed = new LinkedHashMap<>();
            typed.put(PointInTimeJoin.ROW, i);
            typed.putAll(EntityKeys.typed(row, keys, "entityRows[" + i + "]", violations));
            Object ts = row.get(timestampColumn);
            try {
                typed.put(PointInTimeJoin.TS, Instant.parse(ValueChecker.normalize(
                        FeatureDataType.scalar(DataType.TIMESTAMP), (String) ts)).toString());
            } catch (ClassCastException | NullPointerException | IllegalArgumentException | DateTimeParseException e) {
                violations.add("entityRows[" + i + "]." + timestampColumn, ts == null ? ValidationRule.MISSING_TIMESTAMP : ValidationRule.TYPE,
                        "every entity row needs '" + timestampColumn + "' as ISO-8601 text, e.g. 2026-01-31T12:00:00Z");
            }
            for (String c : featureColumns) {
                if (row.containsKey(c)) {
                    violations.add("entityRows[" + i + "]." + c, ValidationRule.COLUMN_COLLISION,
                            "the entity row already has a column named like the requested feature '" + c
                                    + "'; rename it or use fullFeatureNames");
                }
            }
            out.add(typed);
        }
        violations.throwIfAny("The entity rows", false);
        return out;
    }

}
