package io.quiver.registry.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.quiver.config.Mode;
import io.quiver.error.ValidationRule;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.FeatureDataType;
import io.quiver.registry.model.QueryTemplate;
import io.quiver.registry.model.TemplateParameter;
import io.quiver.registry.model.TemplateSql;
import io.quiver.registry.spec.FeatureGroupSpec;
import io.quiver.registry.spec.FeatureSpec;
import io.quiver.registry.spec.TemplateParameterSpec;

/**
 * What a group's virtual definition must be before any engine looks at it: a template (or a source with per-feature
 * expressions, turned into a template here) only on VIRTUALIZED and HYBRID groups, and always on VIRTUALIZED ones;
 * a template that is one statement without comments, reads registered data sources only, and uses exactly its
 * declared parameters, each scalar with a default. What only an engine can check (the statement kind, what it calls,
 * its output columns) is {@link TemplateCheck}'s.
 */
final class TemplateValidator {

    private final DefinitionChecks checks;
    private final RegistryView registry;

    TemplateValidator(DefinitionChecks checks, RegistryView registry) {
        this.checks = checks;
        this.registry = registry;
    }

    /**
     * @param columns the columns the template must produce: keys, event and created timestamps, in order
     * @return the normalized template (sources by their registered names); null when the group has none
     */
    QueryTemplate template(String path, FeatureGroupSpec g, List<String> columns) {
        String sql = DefinitionChecks.blankToNull(g.queryTemplate());
        String source = DefinitionChecks.blankToNull(g.source());
        List<FeatureSpec> features = g.features() == null ? List.of() : g.features();
        boolean expressions = features.stream().anyMatch(f -> f != null && DefinitionChecks.blankToNull(f.expression()) != null);
        boolean virtualMode = g.mode() == Mode.VIRTUALIZED || g.mode() == Mode.HYBRID;
        if (sql != null && source != null) {
            checks.add(path + ".source", ValidationRule.QUERY_TEMPLATE, "give either a queryTemplate or a source with per-feature "
                    + "expressions, not both");
            return null;
        }
        if ((sql != null || source != null) && !virtualMode) {
            checks.add(path + (sql != null ? ".queryTemplate" : ".source"), ValidationRule.QUERY_TEMPLATE, "only VIRTUALIZED and HYBRID "
                    + "groups compute their rows from lake data; set mode: VIRTUALIZED (or HYBRID)");
            return null;
        }
        if (expressions && source == null) {
            for (int i = 0; i < features.size(); i++) {
                if (features.get(i) != null && DefinitionChecks.blankToNull(features.get(i).expression()) != null) {
                    checks.add(path + ".features[" + i + "].expression", ValidationRule.QUERY_TEMPLATE, "a feature expression reads the "
                            + "group's source; set source: \"layer.name\" on the group" + (sql != null ? " instead of the queryTemplate" : ""));
                }
            }
            return null;
        }
        if (sql == null && source == null) {
            if (g.mode() == Mode.VIRTUALIZED) {
                checks.add(path + ".queryTemplate", ValidationRule.QUERY_TEMPLATE, "a VIRTUALIZED group computes its rows from lake "
                        + "data: give a queryTemplate (one SELECT over {{layer.source}}) or a source with per-feature expressions");
            }
            if (g.parameters() != null && !g.parameters().isEmpty()) {
                checks.add(path + ".parameters", ValidationRule.TEMPLATE_PARAMETER, "parameters belong to a queryTemplate; the group has none");
            }
            return null;
        }
        String sourceName = null;
        if (source != null) {
            Optional<DataSource> s = dataSource(path + ".source", source);
            if (s.isEmpty()) {
                return null;
            }
            sourceName = s.get().name();
            sql = generated(source, columns, features);
        }
        TemplateSql parsed;
        try {
            parsed = TemplateSql.parse(sql);
        } catch (IllegalArgumentException e) {
            checks.add(path + (source != null ? ".features" : ".queryTemplate"), ValidationRule.QUERY_TEMPLATE, e.getMessage());
            return null;
        }
        List<String> sources = new ArrayList<>();
        for (String ref : parsed.sources()) {
            dataSource(path + ".queryTemplate", ref).ifPresent(s -> {
                if (!sources.contains(s.name())) {
                    sources.add(s.name());
                }
            });
        }
        List<TemplateParameter> parameters = parameters(path, g.parameters(), parsed.parameters());
        if (sources.size() != parsed.sources().stream().map(r -> r.contains(".") ? r.substring(r.indexOf('.') + 1) : r).distinct().count()
                || parameters == null) {
            return null;
        }
        return new QueryTemplate(sql.trim(), parameters, sources, sourceName);
    }

    /** The template of a group defined by per-feature expressions over one source. */
    private static String generated(String source, List<String> columns, List<FeatureSpec> features) {
        List<String> select = new ArrayList<>();
        columns.forEach(c -> select.add("\"" + c + "\""));
        for (FeatureSpec f : features) {
            if (f == null || f.name() == null) {
                continue;
            }
            String expression = DefinitionChecks.blankToNull(f.expression());
            select.add(expression == null ? "\"" + f.name() + "\"" : "(" + expression.trim() + ") AS \"" + f.name() + "\"");
        }
        return "SELECT " + String.join(", ", select) + " FROM {{" + source + "}}";
    }

    /** A reference as written ({@code layer.name} or {@code name}) to the registered data source, or a violation. */
    private Optional<DataSource> dataSource(String path, String reference) {
        String name = reference.contains(".") ? reference.substring(reference.indexOf('.') + 1) : reference;
        String layer = reference.contains(".") ? reference.substring(0, reference.indexOf('.')) : null;
        Optional<DataSource> found = registry.dataSource(name);
        if (found.isEmpty()) {
            checks.add(path, ValidationRule.UNKNOWN_SOURCE, "data source '" + reference + "' is not registered; register it with "
                    + "registerDataSource first");
            return Optional.empty();
        }
        if (layer != null && !found.get().layer().name().equalsIgnoreCase(layer)) {
            checks.add(path, ValidationRule.UNKNOWN_SOURCE, "data source '" + name + "' is in layer " + found.get().layer()
                    + ", not " + layer + "; write {{" + found.get().qualifiedName() + "}}");
            return Optional.empty();
        }
        return found;
    }

    /** The declared parameters, normalized, when they are exactly the ones the template uses; null otherwise. */
    private List<TemplateParameter> parameters(String path, List<TemplateParameterSpec> declared, Set<String> used) {
        long before = checks.violations.total();
        Map<String, TemplateParameter> out = new LinkedHashMap<>();
        List<TemplateParameterSpec> given = declared == null ? List.of() : declared;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < given.size(); i++) {
            TemplateParameterSpec p = given.get(i);
            String at = path + ".parameters[" + i + "]";
            if (p == null || p.name() == null || !seen.add(p.name())) {
                checks.add(at + ".name", ValidationRule.TEMPLATE_PARAMETER, p == null || p.name() == null ? "a parameter needs a name"
                        : "parameter '" + p.name() + "' is declared twice");
                continue;
            }
            if (!used.contains(p.name())) {
                checks.add(at + ".name", ValidationRule.TEMPLATE_PARAMETER, "parameter '" + p.name() + "' is not used in the template "
                        + "(write :" + p.name() + " where its value goes, or remove it)");
                continue;
            }
            Optional<FeatureDataType> type = checks.type(at + ".type", p.type());
            if (type.isEmpty()) {
                continue;
            }
            if (type.get().base().isNested()) {
                checks.add(at + ".type", ValidationRule.TEMPLATE_PARAMETER, "parameters are scalar; " + type.get() + " is not");
                continue;
            }
            if (p.defaultValue() == null) {
                checks.add(at + ".defaultValue", ValidationRule.TEMPLATE_PARAMETER, "give a defaultValue: online and historical reads "
                        + "use it");
                continue;
            }
            String value = checks.value(at + ".defaultValue", type.get(), p.defaultValue(), null, null);
            if (value != null) {
                out.put(p.name(), new TemplateParameter(p.name(), type.get().toString(), value));
            }
        }
        List<String> undeclared = used.stream().filter(u -> given.stream().noneMatch(p -> p != null && u.equals(p.name()))).toList();
        if (!undeclared.isEmpty()) {
            checks.add(path + ".parameters", ValidationRule.TEMPLATE_PARAMETER, "the template uses "
                    + undeclared.stream().map(u -> ":" + u).collect(Collectors.joining(", ")) + " without declaring "
                    + (undeclared.size() == 1 ? "it" : "them") + "; add {name, type, defaultValue} to parameters");
        }
        return checks.violations.total() > before ? null : List.copyOf(out.values());
    }
}
