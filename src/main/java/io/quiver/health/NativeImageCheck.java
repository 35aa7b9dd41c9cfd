package io.quiver.health;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;
import org.duckdb.DuckDBResultSet;
import org.jboss.logging.Logger;

import io.minio.MinioClient;
import io.minio.Xml;
import io.minio.messages.DeleteRequest;
import io.minio.messages.DeleteResult;
import io.minio.messages.ErrorResponse;
import io.minio.messages.ListBucketResultV2;
import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import io.quiver.config.QuiverConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Stops a native executable at start-up, naming the part, when a library known to be fragile in a native image does not
 * work in it, instead of letting the first request that needs it fail: DuckDB's JNI library, Arrow's off-heap memory and
 * IPC streams, Arrow's C data interface between DuckDB and Java, and the MinIO SDK when the object store is S3. Each
 * part does once what requests do (docs/native.md). On the JVM, the supported way to run Quiver, it does nothing.
 */
@ApplicationScoped
public class NativeImageCheck {

    private static final Logger LOG = Logger.getLogger(NativeImageCheck.class);
    /** Arrow's switch for its allocator; unset, Arrow scans the class path for class files, which an executable lacks. */
    static final String ALLOCATOR_PROPERTY = "arrow.allocation.manager.type";
    private static final long PROBE_MEMORY = 1 << 20;

    /** What to run instead when a part fails. */
    static final String JVM_IMAGE = "the JVM image (docker/Dockerfile.jvm), the supported way to run Quiver; docs/native.md lists "
            + "what the native executable is known to lack";

    /** One part: its name as a failure names it, what else could be done, and the work that shows it runs. */
    record Part(String name, String alternative, Probe probe) {
    }

    @FunctionalInterface
    interface Probe {
        void run() throws Exception;
    }

    void onStart(@Observes @Priority(1) StartupEvent event, QuiverConfig config) {
        if (ImageMode.current() != ImageMode.NATIVE_RUN) {
            return;
        }
        nameArrowAllocator();
        List<Part> parts = parts(config.objectStore().type() == QuiverConfig.ObjectStore.Kind.S3);
        run(parts);
        LOG.infof("native executable: checked %s", parts.stream().map(Part::name).collect(Collectors.joining(", ")));
    }

    /** The unsafe allocator is the one on the class path (pom.xml); an operator's own choice is kept. */
    static void nameArrowAllocator() {
        if (System.getenv("ARROW_ALLOCATION_MANAGER_TYPE") == null && System.getProperty(ALLOCATOR_PROPERTY) == null) {
            System.setProperty(ALLOCATOR_PROPERTY, "Unsafe");
        }
    }

    static List<Part> parts(boolean s3) {
        List<Part> parts = new ArrayList<>(List.of(
                new Part("DuckDB (its JNI library, libduckdb_java)", null, NativeImageCheck::duckDb),
                new Part("Arrow's off-heap memory (sun.misc.Unsafe and java.nio internals)", null, NativeImageCheck::arrowMemory),
                new Part("Arrow IPC streams (bulk uploads and answers)", null, NativeImageCheck::arrowStreams),
                new Part("Arrow's C data interface between Java and DuckDB (libarrow_cdata_jni)", null, NativeImageCheck::arrowThroughDuckDb)));
        if (s3) {
            parts.add(new Part("the MinIO SDK (the S3 object store: its HTTP client and XML messages)",
                    "set quiver.object-store.type=LOCAL (a directory of this replica's own)", NativeImageCheck::minio));
        }
        return parts;
    }

    /** Runs every part in order; the first that fails stops start-up with a message naming it and keeping the cause. */
    static void run(List<Part> parts) {
        for (Part part : parts) {
            try {
                part.probe().run();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) { // an executable lacking a library throws errors (UnsatisfiedLinkError, missing registrations)
                throw new IllegalStateException(failure(part, e), e);
            }
        }
    }

    static String failure(Part part, Throwable cause) {
        return "This native executable cannot use " + part.name() + ": " + cause + ". Quiver stops at start-up rather than failing "
                + "the first request that needs it. " + (part.alternative() == null ? "Run " : "Either " + part.alternative() + ", or run ")
                + JVM_IMAGE + ".";
    }

    private static Connection openDuckDb() throws Exception {
        Properties settings = new Properties();
        settings.setProperty("threads", "1");
        settings.setProperty("memory_limit", "64MB");
        // the driver itself, as DuckDbEngine opens it: no DriverManager look-up
        return new DuckDBDriver().connect("jdbc:duckdb:", settings);
    }

    private static void duckDb() throws Exception {
        try (Connection c = openDuckDb(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 40 + 2")) {
            expect(r.next() && r.getInt(1) == 42, "SELECT 40 + 2 did not answer 42");
        }
    }

    private static void arrowMemory() {
        try (BufferAllocator allocator = new RootAllocator(PROBE_MEMORY); ArrowBuf buffer = allocator.buffer(64)) {
            buffer.setByte(0, 42);
            // a java.nio view of Arrow memory: how IPC streams read and write it
            expect(buffer.nioBuffer(0, 64).get(0) == 42, "a direct buffer over Arrow memory does not see what was written");
        }
    }

    private static void arrowStreams() throws IOException {
        try (BufferAllocator allocator = new RootAllocator(PROBE_MEMORY);
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream(allocator)), allocator)) {
            expect(reader.loadNextBatch() && sum((BigIntVector) reader.getVectorSchemaRoot().getVector("x")) == 6,
                    "an Arrow stream did not read back as written");
        }
    }

    /** Both directions requests use: an upload handed to DuckDB (StagedUpload), a result handed to Java (ColumnarOutput). */
    private static void arrowThroughDuckDb() throws Exception {
        try (BufferAllocator allocator = new RootAllocator(PROBE_MEMORY); Connection c = openDuckDb(); Statement s = c.createStatement()) {
            try (ArrowStreamReader upload = new ArrowStreamReader(new ByteArrayInputStream(stream(allocator)), allocator);
                    ArrowArrayStream exported = ArrowArrayStream.allocateNew(allocator)) {
                Data.exportArrayStream(allocator, upload, exported);
                c.unwrap(DuckDBConnection.class).registerArrowStream("probe", exported);
                try (ResultSet r = s.executeQuery("SELECT sum(x) FROM probe")) {
                    expect(r.next() && r.getLong(1) == 6, "DuckDB did not read an Arrow stream as written");
                }
            }
            try (ResultSet r = s.executeQuery("SELECT x FROM (VALUES (1::BIGINT), (2), (3)) t(x)");
                    ArrowReader answer = (ArrowReader) r.unwrap(DuckDBResultSet.class).arrowExportStream(allocator, 1024)) {
                expect(answer.loadNextBatch() && sum((BigIntVector) answer.getVectorSchemaRoot().getVector("x")) == 6,
                        "DuckDB's result did not arrive as Arrow");
            }
        }
    }

    private static void minio() throws Exception {
        MinioClient.builder().endpoint("http://127.0.0.1:9000").credentials("check", "check").build(); // no request is sent
        ListBucketResultV2 list = Xml.unmarshal(ListBucketResultV2.class, """
                <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix></Prefix><KeyCount>1</KeyCount>\
                <MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>a/b</Key>\
                <LastModified>2026-12-05T00:00:00.000Z</LastModified><ETag>"0"</ETag><Size>1</Size>\
                <StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>""");
        expect(list.contents().size() == 1 && list.contents().get(0).objectName().equals("a/b"), "a listing did not parse");
        ErrorResponse error = Xml.unmarshal(ErrorResponse.class, """
                <Error><Code>NoSuchKey</Code><Message>none</Message><Key>a/b</Key><BucketName>b</BucketName>\
                <Resource>/b/a/b</Resource><RequestId>1</RequestId><HostId>1</HostId></Error>""");
        expect("NoSuchKey".equals(error.code()), "an error answer did not parse");
        DeleteResult deleted = Xml.unmarshal(DeleteResult.class, "<DeleteResult><Deleted><Key>a/b</Key></Deleted></DeleteResult>");
        expect(deleted.objects().size() == 1 && deleted.errors().isEmpty(), "a delete answer did not parse");
        expect(Xml.marshal(new DeleteRequest(List.of(new DeleteRequest.Object("a/b")), true)).contains("a/b"), "a delete request was not written");
    }

    /** One batch of a BIGINT column x = 1, 2, 3 as an Arrow IPC stream. */
    private static byte[] stream(BufferAllocator allocator) throws IOException {
        Schema schema = new Schema(List.of(Field.nullable("x", new ArrowType.Int(64, true))));
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            BigIntVector x = (BigIntVector) root.getVector("x");
            x.allocateNew(3);
            for (int i = 0; i < 3; i++) {
                x.set(i, i + 1);
            }
            root.setRowCount(3);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
                writer.start();
                writer.writeBatch();
                writer.end();
            }
            return out.toByteArray();
        }
    }

    private static long sum(BigIntVector vector) {
        long sum = 0;
        for (int i = 0; i < vector.getValueCount(); i++) {
            sum += vector.get(i);
        }
        return sum;
    }

    private static void expect(boolean holds, String otherwise) {
        if (!holds) {
            throw new IllegalStateException(otherwise);
        }
    }
}
