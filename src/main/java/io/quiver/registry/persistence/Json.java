package io.quiver.registry.persistence;

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

/** JSON documents stored as text columns, so the schema stays portable between PostgreSQL and H2. Shared by
 * every package that keeps documents in the registry database. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new QuiverException(ErrorCode.METADATA_ERROR, "could not encode registry metadata", e);
        }
    }

    public static <T> T read(String text, TypeReference<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new QuiverException(ErrorCode.METADATA_ERROR,
                    "stored registry metadata is not valid JSON; the registry database was changed outside Quiver", e);
        }
    }

    /** A column holding one JSON document of type {@code T}; null reads as {@code empty}. */
    abstract static class DocumentConverter<T> implements AttributeConverter<T, String> {
        private final TypeReference<T> type;
        private final T empty;

        DocumentConverter(TypeReference<T> type, T empty) {
            this.type = type;
            this.empty = empty;
        }

        @Override
        public String convertToDatabaseColumn(T value) {
            return write(value == null ? empty : value);
        }

        @Override
        public T convertToEntityAttribute(String text) {
            return text == null ? empty : read(text, type);
        }
    }

    @Converter
    static class StringListConverter extends DocumentConverter<List<String>> {
        StringListConverter() {
            super(new TypeReference<>() {
            }, List.of());
        }
    }

    @Converter
    static class StringMapConverter extends DocumentConverter<Map<String, String>> {
        StringMapConverter() {
            super(new TypeReference<>() { // Jackson reads objects into a LinkedHashMap: key order is kept
            }, Map.of());
        }
    }

    @Converter
    static class JoinKeyListConverter extends DocumentConverter<List<JoinKey>> {
        JoinKeyListConverter() {
            super(new TypeReference<>() {
            }, List.of());
        }
    }
}
