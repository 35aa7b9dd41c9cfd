package io.quiver.api.rest;

import java.io.IOException;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quiver.json.JsonText;
import io.quiver.serving.OnlineResult;

/**
 * Writes an online answer in Feast's response shape ({@code metadata.feature_names}, then per column
 * {@code values}, {@code statuses}, {@code event_timestamps}), streaming: an answer can hold tens of thousands of
 * values. Stored numbers go out as their stored text; each entity's event time is formatted once.
 */
// the mapper writes the group sources inside a StreamingOutput, where Quarkus does not see them
@RegisterForReflection(targets = OnlineResult.GroupSource.class, registerFullHierarchy = true)
final class FeastResponseWriter {

    private static final String EPOCH = Instant.EPOCH.toString();

    private final ObjectMapper json;
    private final JsonGenerator g;

    FeastResponseWriter(ObjectMapper json, JsonGenerator g) {
        this.json = json;
        this.g = g;
    }

    void write(OnlineResult result) throws IOException {
        OnlineResult.Metadata m = result.metadata();
        g.writeStartObject();
        g.writeObjectFieldStart("metadata");
        g.writeArrayFieldStart("feature_names");
        for (String name : m.featureNames()) {
            g.writeString(name);
        }
        g.writeEndArray();
        g.writeNumberField("serving_latency_ms", m.servingLatencyMs());
        g.writeBooleanField("degraded", m.degraded());
        g.writeFieldName("groups");
        json.writeValue(g, m.groups());
        if (m.featureService() != null) {
            g.writeStringField("feature_service", m.featureService());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("results");
        // a group's columns share one Instant per entity: format each once
        Map<Instant, String> formatted = new IdentityHashMap<>();
        for (OnlineResult.Column c : result.columns()) {
            g.writeStartObject();
            g.writeArrayFieldStart("values");
            for (Object v : c.values()) {
                if (v instanceof JsonText t) {
                    g.writeNumber(t.text());
                } else {
                    json.writeValue(g, v);
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("statuses");
            for (OnlineResult.ValueStatus s : c.statuses()) {
                g.writeString(s.name());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("event_timestamps");
            for (Instant t : c.eventTimestamps()) {
                g.writeString(t == null ? EPOCH : formatted.computeIfAbsent(t, Instant::toString));
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

}
