package io.quiver.registry.persistence;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.registry.model.JoinKey;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** JSON documents stored as text columns, so the schema stays portable between PostgreSQL and H2. */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new QuiverException(ErrorCode.METADATA_ERROR, "could not encode registry metadata", e);
        }
    }

    static <T> T read(String text, TypeReference<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new QuiverException(ErrorCode.METADATA_ERROR,
                    "stored registry metadata is not valid JSON; the registry database was changed outside Quiver", e);
        }
    }

    @Converter
    static class StringListConverter implements AttributeConverter<List<String>, String> {
        @Override
        public String convertToDatabaseColumn(List<String> value) {
            return write(value == null ? List.of() : value);
        }

        @Override
        public List<String> convertToEntityAttribute(String text) {
            return text == null ? List.of() : read(text, new TypeReference<List<String>>() {
            });
        }
    }

    @Converter
    static class StringMapConverter implements AttributeConverter<Map<String, String>, String> {
        @Override
        public String convertToDatabaseColumn(Map<String, String> value) {
            return write(value == null ? Map.of() : value);
        }

        @Override
        public Map<String, String> convertToEntityAttribute(String text) {
            return text == null ? Map.of() : read(text, new TypeReference<LinkedHashMap<String, String>>() {
            });
        }
    }

    @Converter
    static class JoinKeyListConverter implements AttributeConverter<List<JoinKey>, String> {
        @Override
        public String convertToDatabaseColumn(List<JoinKey> value) {
            return write(value == null ? List.of() : value);
        }

        @Override
        public List<JoinKey> convertToEntityAttribute(String text) {
            return text == null ? List.of() : read(text, new TypeReference<List<JoinKey>>() {
            });
        }
    }
}
