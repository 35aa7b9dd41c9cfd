package io.quiver.registry;

import java.util.List;
import java.util.Optional;

import io.quiver.error.ErrorCode;
import io.quiver.error.QuiverException;
import io.quiver.error.Suggestions;
import io.quiver.registry.model.DataSource;
import io.quiver.registry.persistence.RegistryRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.transaction.Transactional;

/**
 * Registered lake data sources: saved after their files were looked at, read by name, deleted unless a group's
 * template reads them. Work on one name is serialized by the same name lock registrations use, so a deletion and a
 * registration of a group reading the source never pass each other.
 */
@ApplicationScoped
@ActivateRequestContext
public class DataSourceRegistry {

    private final RegistryRepository repository;

    private final io.quiver.audit.AuditLog audit;

    public DataSourceRegistry(RegistryRepository repository, io.quiver.audit.AuditLog audit) {
        this.repository = repository;
        this.audit = audit;
    }

    @Transactional
    public DataSource save(DataSource source) {
        repository.lock("source:" + source.name());
        DataSource saved = repository.saveDataSource(source);
        audit.changed("SAVE_DATA_SOURCE", source.name(), source.layer() + " " + source.format() + " at " + source.location() + ", "
                + source.files() + " files, version " + source.version());
        return saved;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<DataSource> find(String name) {
        return repository.dataSource(name);
    }

    /** @throws QuiverException DATA_SOURCE_NOT_FOUND, with close names */
    @Transactional(Transactional.TxType.SUPPORTS)
    public DataSource get(String name) {
        return repository.dataSource(name).orElseThrow(() -> notFound(name));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DataSource> all() {
        return repository.dataSources();
    }

    /** @throws QuiverException DATA_SOURCE_IN_USE naming the groups that read it */
    @Transactional
    public void delete(String name) {
        repository.lock("source:" + name);
        get(name);
        List<String> readers = repository.groupsReading(name);
        if (!readers.isEmpty()) {
            throw new QuiverException(ErrorCode.DATA_SOURCE_IN_USE, "data source '" + name + "' is read by the query template of "
                    + readers + "; delete those group versions, or re-register them without it, first");
        }
        repository.deleteDataSource(name);
        audit.changed("DELETE_DATA_SOURCE", name, "deleted");
    }

    private QuiverException notFound(String name) {
        List<String> close = Suggestions.close(String.valueOf(name), repository.dataSources().stream().map(DataSource::name).toList(), 3);
        return new QuiverException(ErrorCode.DATA_SOURCE_NOT_FOUND, "data source '" + name + "' is not registered"
                + (close.isEmpty() ? "; register it with registerDataSource" : "; did you mean " + String.join(", ", close) + "?"));
    }
}
