package io.quiver.registry.persistence;

import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quiver.json.Json;
import io.quiver.registry.model.JoinKey;
import jakarta.persistence.Converter;

/** An entity's join keys, kept as one JSON document. */
// Json reads and writes the join keys with JsonPolicy.shared(), outside Quarkus' view
@RegisterForReflection(targets = JoinKey.class, registerFullHierarchy = true)
@Converter
public class JoinKeyListConverter extends Json.DocumentConverter<List<JoinKey>> {
    public JoinKeyListConverter() {
        super(new TypeReference<>() {
        }, List.of());
    }
}
