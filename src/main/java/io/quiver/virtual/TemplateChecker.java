package io.quiver.virtual;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.quiver.columnar.Conversions;
import io.quiver.columnar.SourceType;
import io.quiver.error.ValidationRule;
import io.quiver.error.Violation;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.model.SourceColumn;
import io.quiver.registry.model.TemplateSql;
import io.quiver.registry.validation.TemplateCheck;
import io.quiver.registry.validation.ValidatedRegistration.FeatureDraft;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The registration check of a template with the query executor: one read-only SELECT that reads only its data
 * sources and calls nothing that touches files, the environment or settings ({@code FORBIDDEN_SQL}); and an output
 * with every key, timestamp and feature column in a type that converts to the declared one without loss
 * ({@code TEMPLATE_COLUMN}, naming the column and what was expected). Reads no file: sources are empty relations of
 * their registered schema.
 */
@ApplicationScoped
public class TemplateChecker implements TemplateCheck {

    private final QueryExecutor executor;

    public TemplateChecker(QueryExecutor executor) {
        this.executor = executor;
    }

    @Override
    public List<Violation> check(String path, GroupDraft group, List<JoinKey> keys, Map<String, DataSource> sources) {
        String at = path + (group.queryTemplate().source() != null ? ".features" : ".queryTemplate");
        TemplateSql sql = TemplateSql.parse(group.queryTemplate().sql());
        Map<String, QueryExecutor.SourceInput> inputs = new LinkedHashMap<>();
        for (String ref : sql.sources()) {
            String name = ref.contains(".") ? ref.substring(ref.indexOf('.') + 1) : ref;
            inputs.put(ref, new QueryExecutor.SourceInput(sources.get(name), List.of()));
        }
        Map<String, String> values = new LinkedHashMap<>();
        group.queryTemplate().parameters().forEach(p -> values.put(p.name(), p.defaultValue()));
        QueryExecutor.Description d = executor.describe(new QueryExecutor.Query(sql, inputs, group.queryTemplate().parameters(), values));
        List<Violation> out = new ArrayList<>();
        for (String problem : d.problems()) {
            boolean forbidden = !problem.startsWith("it does not") && !problem.startsWith("a template must");
            out.add(new Violation(at, forbidden ? ValidationRule.FORBIDDEN_SQL : ValidationRule.QUERY_TEMPLATE,
                    "the query template " + problem));
        }
        if (!out.isEmpty()) {
            return out;
        }
        Map<String, String> produced = new LinkedHashMap<>();
        d.columns().forEach(c -> produced.put(c.name(), c.type()));
        Map<String, FeatureDataType> needed = new LinkedHashMap<>();
        keys.forEach(k -> needed.put(k.name(), FeatureDataType.scalar(k.valueType())));
        needed.put(group.eventTimestampColumn(), FeatureDataType.scalar(group.eventTimestampType()));
        if (group.createdTimestampColumn() != null) {
            needed.put(group.createdTimestampColumn(), FeatureDataType.scalar(group.createdTimestampType()));
        }
        for (FeatureDraft f : group.features()) {
            needed.put(f.name(), f.type());
        }
        needed.forEach((column, type) -> {
            String engineType = produced.get(column);
            if (engineType == null) {
                out.add(new Violation(at, ValidationRule.TEMPLATE_COLUMN, "the query template's output has no column '" + column
                        + "' (a " + type + "); it has " + d.columns().stream().map(SourceColumn::name).toList()
                        + ". Name an output column so, e.g. ... AS " + column));
                return;
            }
            Conversions.incompatibility(type, SourceType.parse(engineType)).ifPresent(why -> out.add(new Violation(at,
                    ValidationRule.TEMPLATE_COLUMN, "the query template's column '" + column + "' is " + engineType + ", but the group "
                            + "declares " + type + ": " + why)));
        });
        return out;
    }
}
