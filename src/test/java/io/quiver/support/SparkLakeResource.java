package io.quiver.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * An S3 server and a Spark Connect server of the test class's own, the Spark server reading that S3 server over
 * {@code s3a://} with its own credentials (as a cluster next to the lake would), and the service told to let Spark
 * read the lake itself ({@code quiver.spark.lake-access=OBJECT_STORE}).
 */
public class SparkLakeResource implements QuarkusTestResourceLifecycleManager {

    public static volatile S3ProxyServer s3;
    private SparkConnectServer spark;

    @Override
    public Map<String, String> start() {
        s3 = S3ProxyServer.start();
        spark = SparkConnectServer.start(Map.of(
                "spark.hadoop.fs.s3a.endpoint", s3.endpoint(),
                "spark.hadoop.fs.s3a.endpoint.region", "us-east-1",
                "spark.hadoop.fs.s3a.access.key", S3ProxyServer.ACCESS_KEY,
                "spark.hadoop.fs.s3a.secret.key", S3ProxyServer.SECRET_KEY,
                "spark.hadoop.fs.s3a.path.style.access", "true",
                "spark.hadoop.fs.s3a.connection.ssl.enabled", "false",
                "spark.hadoop.fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"));
        return Map.ofEntries(
                Map.entry("quiver.object-store.type", "S3"),
                Map.entry("quiver.object-store.s3-endpoint", s3.endpoint()),
                Map.entry("quiver.object-store.s3-access-key", S3ProxyServer.ACCESS_KEY),
                Map.entry("quiver.object-store.s3-secret-key", S3ProxyServer.SECRET_KEY),
                Map.entry("quiver.object-store.s3-bucket", "quiver-lake"),
                Map.entry("quiver.object-store.s3-part-size", String.valueOf(5 * 1024 * 1024)),
                Map.entry("quiver.spark.url", spark.url()),
                Map.entry("quiver.spark.min-rows", "100"),
                Map.entry("quiver.spark.lake-access", "OBJECT_STORE"),
                Map.entry("quiver.virtual.max-key-filter", "5"));
    }

    @Override
    public void stop() {
        if (spark != null) {
            spark.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }
}
