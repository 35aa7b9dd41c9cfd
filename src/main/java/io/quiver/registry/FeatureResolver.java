package io.quiver.registry;

import java.util.ArrayList;
import java.util.List;

import io.quiver.error.FeatureNotFoundException;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.GroupSchema;
import io.quiver.error.Suggestions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Resolves {@code group.feature} references on the serving path, through the registry cache, for a caller that may
 * read the group ({@link GroupGate}). A name that resolves to nothing gets an error naming it, with close matches
 * suggested.
 */
@ApplicationScoped
public class FeatureResolver {

    private final FeatureGroupCache groups;
    private final RegistryCatalog catalog;
    private final GroupGate gate;

    public FeatureResolver(FeatureGroupCache groups, RegistryCatalog catalog, GroupGate gate) {
        this.groups = groups;
        this.catalog = catalog;
        this.gate = gate;
    }

    /**
     * @throws io.quiver.error.QuiverException FORBIDDEN when the caller may not read the group (checked before the
     *         group is looked up, so the answer is the same whether it exists or not)
     */
    public ResolvedFeature resolve(String reference) {
        FeatureRef ref = FeatureRef.parse(reference);
        gate.check(ref.group(), io.quiver.registry.model.GroupAction.READ);
        // A cached "absent" may predate a registration on another replica: check once more before failing.
        GroupSchema schema = groups.get(ref.group(), ref.version())
                .or(() -> groups.reload(ref.group(), ref.version()))
                .orElseThrow(() -> catalog.groupNotFound(ref.group(), ref.version()));
        return schema.feature(ref.feature())
                .map(f -> new ResolvedFeature(ref, schema, f))
                .orElseThrow(() -> new FeatureNotFoundException("feature '" + ref.feature() + "' is not in feature group '"
                        + ref.group() + "' version " + schema.group().version() + suggest(ref.feature(), schema.byName().keySet())));
    }

    public List<ResolvedFeature> resolveAll(List<String> references) {
        List<ResolvedFeature> out = new ArrayList<>(references.size());
        for (String r : references) {
            out.add(resolve(r));
        }
        return out;
    }

    private static String suggest(String name, java.util.Collection<String> candidates) {
        List<String> close = Suggestions.close(name, candidates, 3);
        return close.isEmpty() ? "; its features: " + String.join(", ", candidates)
                : "; did you mean " + String.join(", ", close) + "?";
    }
}
