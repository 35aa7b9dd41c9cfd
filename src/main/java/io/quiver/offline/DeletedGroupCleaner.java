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
 * Deletes the data files of deleted group versions, after the deletion committed (their snapshots went with the
 * registry rows). A failure here only leaves files behind; it is logged and does not undo the deletion.
 */
@ApplicationScoped
public class DeletedGroupCleaner {

    private static final Logger LOG = Logger.getLogger(DeletedGroupCleaner.class);

    private final ObjectStore objects;

    public DeletedGroupCleaner(ObjectStore objects) {
        this.objects = objects;
    }

    void onDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) GroupVersionsDeleted event) {
        for (int version : event.versions()) {
            String prefix = "groups/" + event.name() + "/v" + version + "/";
            try {
                List<String> keys = objects.list(prefix).stream().map(ObjectInfo::key).toList();
                objects.delete(keys);
                LOG.infof("deleted %d data files of %s@%d", keys.size(), event.name(), version);
            } catch (QuiverException e) {
                LOG.warnf("could not delete the data files under %s: %s; remove them by hand", prefix, e.getMessage());
            }
        }
    }
}
