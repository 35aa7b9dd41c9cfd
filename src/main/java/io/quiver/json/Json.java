package io.quiver.json;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** JSON documents stored as text columns, so the schema stays portable between PostgreSQL and H2. Shared by
 * every package that keeps documents in the registry database. */
public final class Json {

    private Json() {
    }

    public static String write(Object value) {
        try {
            return JsonPolicy.shared().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new QuiverException(ErrorCode.METADATA_ERROR, "could not encode registry metadata", e);
        }
    }

    public static <T> T read(String text, TypeReference<T> type) {
        try {
            return JsonPolicy.shared().readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new QuiverException(ErrorCode.METADATA_ERROR,
                    "stored registry metadata is not valid JSON; the registry database was changed outside Quiver", e);
        }
    }

    /** A column holding one JSON document of type {@code T}; null reads as {@code empty}. */
    public abstract static class DocumentConverter<T> implements AttributeConverter<T, String> {
        private final TypeReference<T> type;
        private final T empty;

        protected DocumentConverter(TypeReference<T> type, T empty) {
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
    public static class StringListConverter extends DocumentConverter<List<String>> {
        public StringListConverter() {
            super(new TypeReference<>() {
            }, List.of());
        }
    }

    @Converter
    public static class StringMapConverter extends DocumentConverter<Map<String, String>> {
        public StringMapConverter() {
            super(new TypeReference<>() { // Jackson reads objects into a LinkedHashMap: key order is kept
            }, Map.of());
        }
    }
}
