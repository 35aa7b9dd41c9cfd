package io.quiver.online;

import org.jboss.logging.Logger;

import io.quiver.error.QuiverException;
import io.quiver.registry.GroupVersionsDeleted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/** Removes a deleted group version's online records once the deletion committed; a failure only leaves records. */
@ApplicationScoped
public class DeletedGroupOnlineCleaner {

    private static final Logger LOG = Logger.getLogger(DeletedGroupOnlineCleaner.class);

    private final OnlineStore store;

    public DeletedGroupOnlineCleaner(OnlineStore store) {
        this.store = store;
    }

    void onDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) GroupVersionsDeleted event) {
        for (int i = 0; i < event.versions().size(); i++) {
            String table = OnlineCodec.table(event.name(), event.versions().get(i), event.ids().get(i));
            try {
                store.drop(table);
            } catch (QuiverException e) {
                // the table name holds the deleted row's id, so no later version can read these records
                LOG.warnf("could not remove the online records of %s (%s); no group version reads them any more, delete the keys "
                        + "under that table by hand", table, e.getMessage());
            }
        }
    }
}
