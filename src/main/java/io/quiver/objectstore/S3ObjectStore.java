package io.quiver.objectstore;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import io.minio.BucketExistsArgs;
import io.minio.Checksum;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.MinioException;
import io.minio.messages.DeleteRequest;
import io.minio.messages.DeleteResult;
import io.minio.messages.Item;

/**
 * Objects in an S3 bucket through the MinIO Java SDK: works with AWS S3, MinIO, S3Proxy and other S3-compatible
 * servers. Files at least one part long are uploaded in parts. {@link RetryingObjectStore} wraps it, since every
 * operation is idempotent. Uploads carry a CRC32 checksum the server verifies: the SDK's default, CRC32C, is computed
 * byte by byte in Java and cost a third of the upload time in the bulk-ingest benchmark; CRC32 uses the JDK's
 * intrinsic.
 */
public class S3ObjectStore implements ObjectStore {

    private static final int DELETE_BATCH = 1000;

    private final MinioClient client;
    private final String endpoint;
    private final String bucket;
    private final long partSize;
    private volatile boolean bucketChecked;

    public S3ObjectStore(String endpoint, String region, String accessKey, String secretKey, String bucket, long partSize,
            java.time.Duration timeout) {
        MinioClient.Builder builder = MinioClient.builder().endpoint(endpoint).region(region);
        if (accessKey != null && secretKey != null) {
            builder.credentials(accessKey, secretKey);
        }
        this.client = builder.build();
        long ms = timeout.toMillis();
        client.setTimeout(Math.min(ms, 10_000), ms, ms);
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.partSize = Math.max(partSize, 5L * 1024 * 1024);
    }

    @Override
    public void put(String key, Path file) {
        ObjectKeys.check(key);
        call("upload", key, () -> {
            client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key).filename(file.toString(), partSize)
                    .checksum(Checksum.Algorithm.CRC32).build());
            return null;
        });
    }

    @Override
    public void put(String key, byte[] data) {
        ObjectKeys.check(key);
        call("upload", key, () -> {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .data(data, data.length).checksum(Checksum.Algorithm.CRC32).build());
            return null;
        });
    }

    @Override
    public InputStream open(String key) {
        ObjectKeys.check(key);
        return call("read", key, () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    @Override
    public void download(String key, Path target) {
        ObjectKeys.check(key);
        call("download", key, () -> {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            // Through a temporary file: a failed transfer must not leave a truncated target behind.
            Path temp = Files.createTempFile(parent, target.getFileName().toString(), ".part");
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
            return null;
        });
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        ObjectKeys.check(key);
        try {
            return Optional.of(call("stat", key, () -> {
                StatObjectResponse s = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
                Instant modified = s.lastModified() == null ? Instant.EPOCH : s.lastModified().toInstant();
                return new ObjectInfo(key, s.size(), modified, etag(s.etag(), s.size(), modified));
            }));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(String prefix) {
        ObjectKeys.checkPrefix(prefix);
        return call("list", prefix, () -> {
            List<ObjectInfo> out = new ArrayList<>();
            for (Result<Item> r : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
                Item item = r.get();
                if (!item.isDir()) {
                    Instant modified = item.lastModified() == null ? Instant.EPOCH : item.lastModified().toInstant();
                    out.add(new ObjectInfo(item.objectName(), item.size(), modified, etag(item.etag(), item.size(), modified)));
                }
            }
            return out;
        });
    }

    @Override
    public void delete(Collection<String> keys) {
        List<String> all = new ArrayList<>(keys);
        all.forEach(ObjectKeys::check);
        for (int start = 0; start < all.size(); start += DELETE_BATCH) {
            List<DeleteRequest.Object> batch = all.subList(start, Math.min(start + DELETE_BATCH, all.size())).stream()
                    .map(DeleteRequest.Object::new).toList();
            call("delete " + batch.size() + " objects", null, () -> {
                // removeObjects is lazy: iterating the results is what sends the request.
                for (Result<DeleteResult.Error> r : client.removeObjects(RemoveObjectsArgs.builder().bucket(bucket).objects(batch).build())) {
                    DeleteResult.Error error = r.get();
                    if (!"NoSuchKey".equals(error.code())) {
                        throw new MinioException("could not delete " + error.objectName() + ": " + error.code() + " " + error.message());
                    }
                }
                return null;
            });
        }
    }

    @Override
    public void checkReady() {
        if (bucketChecked) {
            call("check its bucket", null, () -> client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build()));
            return;
        }
        call("create its bucket", null, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                } catch (ErrorResponseException e) {
                    // Another replica may have created it in between.
                    if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                        throw e;
                    }
                }
            }
            return null;
        });
        bucketChecked = true;
    }

    @Override
    public String location() {
        return "S3 bucket '" + bucket + "' at " + endpoint;
    }

    @Override
    public String uri(String key) {
        ObjectKeys.check(key);
        return "s3a://" + bucket + "/" + key;
    }

    private interface S3Call<T> {
        T run() throws Exception;
    }

    private <T> T call(String operation, String key, S3Call<T> call) {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if ("NoSuchKey".equals(code) || "NoSuchObject".equals(code)) {
                throw new ObjectNotFoundException(key);
            }
            throw new ObjectStoreException(operation, key, location() + " answered " + code + " " + e.errorResponse().message(), e);
        } catch (ObjectNotFoundException | ObjectStoreException e) {
            throw e;
        } catch (Exception e) {
            throw new ObjectStoreException(operation, key, location() + ": " + e, e);
        }
    }

    /** S3's ETag without its quotes; a server that sends none gets size and modification time instead. */
    private static String etag(String etag, long size, Instant modified) {
        String e = etag == null ? "" : etag.replace("\"", "").trim();
        return e.isEmpty() ? ObjectInfo.localEtag(size, modified) : e;
    }
}
