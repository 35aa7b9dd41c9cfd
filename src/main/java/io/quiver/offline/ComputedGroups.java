package io.quiver.offline;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.quiver.registry.model.GroupSchema;

/**
 * Groups whose rows are computed on demand rather than stored (the virtual executor implements it): point-in-time
 * joins read the rows such a group computes for a request, laid out like its data files, instead of a snapshot.
 */
public interface ComputedGroups {

    /** Whether reads of this group version compute its rows instead of reading its snapshots. */
    boolean computes(GroupSchema group);

    /**
     * The group's rows that can matter to a read, as local Parquet files laid out like its data files.
     *
     * @param keys typed key values (join-key order) the read needs, or null for any entity
     * @param from earliest event time that can matter, or null for no bound
     * @param to latest event time that can matter, or null for no bound
     */
    Rows rows(GroupSchema group, List<List<Object>> keys, Instant from, Instant to);

    /** Local files held until closed. */
    interface Rows extends AutoCloseable {

        List<Path> files();

        @Override
        void close();
    }
}
