package io.quiver.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The service's one JSON policy, applied by Quarkus to the {@link ObjectMapper} it injects (beans take that one):
 * numbers read into untyped values stay exact ({@code BigDecimal}, {@code BigInteger}), so a DECIMAL or a BIGINT
 * key is never rounded through a double; times are ISO-8601 text, never epoch numbers. Code that runs outside CDI
 * (JPA attribute converters, the pure validators and codecs) uses {@link #shared()}, built by the same rule. No
 * other class creates a mapper (an architecture test checks it).
 */
@Singleton
public class JsonPolicy implements ObjectMapperCustomizer {

    private static final ObjectMapper SHARED = apply(new ObjectMapper().findAndRegisterModules());

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper);
    }

    /** The mapper for code outside CDI; configured exactly as the injected one. */
    public static ObjectMapper shared() {
        return SHARED;
    }

    static ObjectMapper apply(ObjectMapper mapper) {
        return mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }
}
