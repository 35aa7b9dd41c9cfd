package io.quiver.offline;

import java.util.List;

import org.jboss.logging.Logger;

import io.quiver.error.QuiverException;
import io.quiver.objectstore.ObjectInfo;
import io.quiver.objectstore.ObjectStore;
import io.quiver.registry.GroupVersionsDeleted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Deletes the data files of deleted group versions, after the deletion committed (their snapshot and file rows went
 * with the registry rows). Each version's files are exactly the objects directly in its own data prefix, which no
 * other version shares. The prefixes are also recorded, in the deletion's transaction, so that files a write in
 * progress uploads after this clean-up are swept later; a failure here only leaves files for that sweep.
 */
@ApplicationScoped
public class DeletedGroupCleaner {

    private static final Logger LOG = Logger.getLogger(DeletedGroupCleaner.class);

    private final ObjectStore objects;
    private final DeletedPrefixes prefixes;

    public DeletedGroupCleaner(ObjectStore objects, DeletedPrefixes prefixes) {
        this.objects = objects;
        this.prefixes = prefixes;
    }

    void onDeleting(@Observes(during = TransactionPhase.IN_PROGRESS) GroupVersionsDeleted event) {
        prefixes.record(event.dataPrefixes());
    }

    void onDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) GroupVersionsDeleted event) {
        for (int i = 0; i < event.versions().size(); i++) {
            String prefix = event.dataPrefixes().get(i);
            try {
                List<String> keys = objects.list(prefix).stream().map(ObjectInfo::key)
                        .filter(k -> !k.substring(prefix.length()).contains("/")).toList();
                objects.delete(keys);
                LOG.infof("deleted %d data files of %s@%d", keys.size(), event.name(), event.versions().get(i));
            } catch (QuiverException e) {
                LOG.warnf("could not delete the data files of %s@%d now (%s); the sweep removes them later", event.name(),
                        event.versions().get(i), e.getMessage());
            }
        }
    }
}
