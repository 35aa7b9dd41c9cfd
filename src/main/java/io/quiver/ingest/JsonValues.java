package io.quiver.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quiver.json.JsonPolicy;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Parses JSON text into the plain values {@link RowValidator} takes: numbers stay exact (BigDecimal). */
final class JsonValues {

    private JsonValues() {
    }

    static Object parse(String json) {
        try {
            return JsonPolicy.shared().readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
    }
}
