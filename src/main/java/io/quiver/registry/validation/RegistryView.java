package io.quiver.registry.validation;

import java.util.List;
import java.util.Optional;

import io.quiver.registry.model.DataSource;
import io.quiver.registry.model.FeatureRef;
import io.quiver.registry.model.JoinKey;

/** What the validator needs to know about what is already registered. */
public interface RegistryView {

    /** The join keys of a registered entity, or empty if none has the name. */
    Optional<List<JoinKey>> entityKeys(String entity);

    /** Whether the reference names a registered feature (latest version unless the reference names one). */
    boolean featureExists(FeatureRef reference);

    /** A registered data source by name. */
    Optional<DataSource> dataSource(String name);
}
