package io.quiver.online;

import java.util.List;

/**
 * The latest record of each entity per table (a group version). Every implementation passes
 * {@code OnlineStoreContract}. Writes are safe to repeat and to race: a record replaces the stored one only when
 * its event time is not older (equal replaces), decided inside the store, atomically per entity. Failures surface
 * as {@code ONLINE_STORE_UNAVAILABLE}.
 */
public interface OnlineStore {

    /**
     * Stores the records of one table.
     *
     * @return how many replaced or created a record (the others were older than what is stored)
     */
    long write(String table, List<OnlineRecord> records);

    /** The stored record for each key, in the keys' order, null where there is none; one round trip for all. */
    List<OnlineRecord> read(List<OnlineKey> keys);

    /**
     * About how many bytes the table's records take (keys and field values, not the store's own overhead), kept up
     * to date by writes; 0 for an empty or unknown table. An estimate: a process that dies between storing records
     * and counting them leaves their bytes out.
     */
    long bytes(String table);

    /**
     * Removes every record of the table and of the tables named under it ({@code <table>:<name>}, the generations
     * of {@link OnlineCodec#generation}), with their byte counts.
     */
    void drop(String table);

    /** Throws when the store cannot be used. */
    void checkReady();

    /** Where the records live, for logs and health output. */
    String location();

    /** Releases what the store opened itself (connections of its own); called once, at shutdown. */
    default void close() {
    }
}
