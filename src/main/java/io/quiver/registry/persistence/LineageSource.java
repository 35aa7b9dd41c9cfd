package io.quiver.registry.persistence;

import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

/** One lineage edge from a feature to what it is computed from. */
@Embeddable
public class LineageSource {

    public enum Kind {
        FEATURE, DATASET
    }

    @Column(name = "source_kind")
    @Enumerated(EnumType.STRING)
    public Kind kind;

    @Column(name = "source_ref")
    public String ref;

    public LineageSource() {
    }

    public LineageSource(Kind kind, String ref) {
        this.kind = kind;
        this.ref = ref;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LineageSource other && other.kind == kind && Objects.equals(other.ref, ref);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, ref);
    }
}
