package io.quiver.registry.persistence;

import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quiver.json.Json;
import io.quiver.registry.model.QueryTemplate;
import io.quiver.registry.model.TemplateParameter;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** A group's query template as one JSON document; null stays null (groups without one). */
// Json reads and writes the stored template with JsonPolicy.shared(), outside Quarkus' view
@RegisterForReflection(targets = QueryTemplateConverter.Stored.class, registerFullHierarchy = true)
@Converter
public class QueryTemplateConverter implements AttributeConverter<QueryTemplateConverter.Stored, String> {

    /** What the column holds; the data sources read are rows of their own ({@code qv_group_source}). */
    public record Stored(String sql, List<TemplateParameter> parameters, String source) {

        static Stored of(QueryTemplate t) {
            return t == null ? null : new Stored(t.sql(), t.parameters(), t.source());
        }

        QueryTemplate toModel(List<String> sources) {
            return new QueryTemplate(sql, parameters == null ? List.of() : parameters, sources, source);
        }
    }

    @Override
    public String convertToDatabaseColumn(Stored value) {
        return value == null ? null : Json.write(value);
    }

    @Override
    public Stored convertToEntityAttribute(String text) {
        return text == null ? null : Json.read(text, new TypeReference<Stored>() {
        });
    }
}
