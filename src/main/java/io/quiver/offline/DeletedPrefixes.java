package io.quiver.offline;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Data prefixes of deleted group versions, kept until the sweeper has seen them empty: a write interrupted while its
 * version was deleted may still leave files there, and no group version owns that prefix any more.
 */
@ApplicationScoped
public class DeletedPrefixes {

    /** Records the prefixes in the caller's transaction (the deletion's). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(List<String> prefixes) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        for (String p : prefixes) {
            if (DeletedPrefixRow.findById(p) == null) {
                DeletedPrefixRow r = new DeletedPrefixRow();
                r.dataPrefix = p;
                r.deletedAt = now;
                r.persist();
            }
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> olderThan(Instant limit) {
        return DeletedPrefixRow.<DeletedPrefixRow>list("deletedAt < ?1", limit).stream().map(r -> r.dataPrefix).toList();
    }

    @Transactional
    public void forget(String prefix) {
        DeletedPrefixRow.deleteById(prefix);
    }
}
