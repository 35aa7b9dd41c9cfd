package io.quiver.objectstore;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Immutable objects under string keys (e.g. {@code groups/customer_360/v1/data/part-0.parquet}). Every
 * implementation passes {@code ObjectStoreContract}. Writes of one key are all-or-nothing: a reader sees the whole
 * object or none. Failures of the store surface as {@code OBJECT_STORE_UNAVAILABLE}, a missing key as
 * {@code OBJECT_NOT_FOUND}; all operations are idempotent, so implementations retry them.
 */
public interface ObjectStore {

    /** Stores a local file under the key, replacing any object there. Large files go up in parts where supported. */
    void put(String key, Path file);

    /** Stores bytes under the key, replacing any object there. */
    void put(String key, byte[] data);

    /** Opens the object for reading; the caller closes the stream. */
    InputStream open(String key);

    /** Copies the object to a local file (created or replaced). */
    void download(String key, Path target);

    /** Size and modification time of the object, or empty if there is none. */
    Optional<ObjectInfo> stat(String key);

    /** Every object whose key starts with the prefix, in key order. */
    List<ObjectInfo> list(String prefix);

    /** Removes the objects; keys that do not exist are ignored. */
    void delete(Collection<String> keys);

    /** Makes sure the store can be used (creates the bucket or directory); throws when it cannot. */
    void checkReady();

    /** Where the store keeps its objects, for logs and health output. */
    String location();

    /**
     * The object's address for an engine that reads the lake itself (Spark): {@code s3a://bucket/key} for S3,
     * {@code file:///root/key} for a local directory. Checks the key; does not look the object up.
     */
    String uri(String key);
}
