package io.quiver.registry;

import static io.quiver.registry.Specs.feature;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.quiver.registry.SchemaChange.Kind;
import io.quiver.registry.model.DataType;
import io.quiver.registry.model.GroupSchema;
import io.quiver.registry.model.JoinKey;
import io.quiver.registry.spec.RegistrationSpec;
import io.quiver.registry.spec.SettingSpec;
import io.quiver.registry.validation.DefinitionValidator;
import io.quiver.registry.validation.RegistryView;
import io.quiver.registry.validation.ValidatedRegistration.GroupDraft;

/** The versioning rule on its own: which differences update a version in place and which create the next one. */
class SchemaChangeTest {

    private static final java.util.concurrent.atomic.AtomicInteger NAMES = new java.util.concurrent.atomic.AtomicInteger();
    private static final List<JoinKey> KEYS = List.of(new JoinKey("customer_id", DataType.BIGINT));
    private static final RegistryView REGISTRY = Specs.view(Map.of("customer", KEYS, "store", List.of(new JoinKey("store_id", DataType.STRING))),
            List.of());

    private static Specs.Group base() {
        Specs.Group g = new Specs.Group("spend", "customer", feature("total", "DOUBLE"), feature("count", "INT", false));
        g.description = "spend per customer";
        g.tags = List.of("team:risk");
        return g;
    }

    private static GroupDraft draft(Specs.Group g) {
        return DefinitionValidator.validate(new RegistrationSpec(List.of(), List.of(g.spec())), REGISTRY).groups().get(0);
    }

    private static SchemaChange change(Consumer<Specs.Group> edit) {
        GroupSchema latest = Specs.stored(draft(base()), KEYS);
        Specs.Group next = base();
        edit.accept(next);
        return SchemaChange.between(latest, draft(next));
    }

    @Test
    void theSameDefinitionIsUnchanged() {
        assertThat(change(g -> { }).kind()).isEqualTo(Kind.UNCHANGED);
        assertThat(change(g -> g.features.set(0, feature("total", "double"))).kind()).isEqualTo(Kind.UNCHANGED);
    }

    @Test
    void descriptiveChangesAndNewNullableFeaturesAreCompatible() {
        SchemaChange c = change(g -> {
            g.description = "another";
            g.tags = List.of("team:fraud");
            g.ttlSeconds = 600L;
            g.config = List.of(new SettingSpec("hybrid_threshold_rows", "5"));
            g.features.add(feature("avg", "DOUBLE"));
            g.features.add(0, g.features.remove(1)); // reordered
        });
        assertThat(c.kind()).isEqualTo(Kind.COMPATIBLE);
        assertThat(c.changes()).anyMatch(s -> s.contains("feature 'avg' added"));
    }

    @Test
    void removedOrRetypedFeaturesNewKeysAndNewPathsAreBreaking() {
        assertThat(change(g -> g.features.remove(0)).kind()).isEqualTo(Kind.BREAKING);
        assertThat(change(g -> g.features.set(0, feature("total", "FLOAT"))).kind()).isEqualTo(Kind.BREAKING);
        assertThat(change(g -> g.features.add(feature("must", "INT", false))).kind()).isEqualTo(Kind.BREAKING);
        assertThat(change(g -> g.features.set(0, feature("total", "DOUBLE", false))).kind()).isEqualTo(Kind.BREAKING);
        assertThat(change(g -> g.entities = List.of("store")).kind()).isEqualTo(Kind.BREAKING);
        assertThat(change(g -> g.storagePath = "teams/risk/spend").kind()).isEqualTo(Kind.BREAKING);
    }

    /**
     * The property: any mix of compatible edits never creates a version, and adding any one breaking edit always does.
     * 500 random mixes from a fixed seed ({@code -DversionSeed=N} replays another).
     */
    @Test
    void compatibleEditsNeverCreateAVersionAndABreakingOneAlwaysDoes() {
        List<Consumer<Specs.Group>> compatible = List.of(
                g -> g.description = "d" + g.features.size(),
                g -> g.owner = "someone",
                g -> g.tags = List.of("t1", "t2"),
                g -> g.ttlSeconds = 3600L,
                g -> g.config = List.of(new SettingSpec("auto_materialize_on_read", "false")),
                g -> g.features.add(feature("n" + NAMES.incrementAndGet(), "STRING")),
                g -> g.features.add(0, g.features.remove(g.features.size() - 1)),
                g -> g.features.replaceAll(f -> f.name().equals("count") ? feature("count", "INT", true) : f));
        List<Consumer<Specs.Group>> breaking = List.of(
                g -> g.features.removeIf(f -> f.name().equals("total")),
                g -> g.features.replaceAll(f -> f.name().equals("total") ? feature("total", "BIGINT") : f),
                g -> g.features.add(feature("required_" + NAMES.incrementAndGet(), "DOUBLE", false)),
                g -> g.createdTimestampColumn = "created_at",
                g -> g.eventTimestampColumn = "ts");
        Random random = new Random(Long.getLong("versionSeed", 20261205L));
        for (int run = 0; run < 500; run++) {
            List<Consumer<Specs.Group>> edits = new ArrayList<>();
            int n = 1 + random.nextInt(4);
            for (int i = 0; i < n; i++) {
                edits.add(compatible.get(random.nextInt(compatible.size())));
            }
            Kind kind = change(g -> edits.forEach(e -> e.accept(g))).kind();
            assertThat(kind).as("run %d", run).isNotEqualTo(Kind.BREAKING);
            edits.add(random.nextInt(edits.size() + 1), breaking.get(random.nextInt(breaking.size())));
            assertThat(change(g -> edits.forEach(e -> e.accept(g))).kind()).as("run %d with a breaking edit", run).isEqualTo(Kind.BREAKING);
        }
    }

    @Test
    void changesListBreakingOnesFirst() {
        SchemaChange c = change(g -> {
            g.description = "x";
            g.features.remove(0);
        });
        assertThat(c.kind()).isEqualTo(Kind.BREAKING);
        assertThat(c.changes().get(0)).contains("total");
        assertThat(c.changes()).anyMatch(s -> s.startsWith("description"));
    }
}
