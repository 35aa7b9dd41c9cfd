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
        for (int version : event.versions()) {
            try {
                store.drop(OnlineCodec.table(event.name(), version));
            } catch (QuiverException e) {
                LOG.warnf("could not remove the online records of %s@%d: %s; they are unreachable and can be deleted by key prefix",
                        event.name(), version, e.getMessage());
            }
        }
    }
}
