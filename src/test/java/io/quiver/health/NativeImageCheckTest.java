package io.quiver.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The native start-up check, run on the JVM: its parts do real work with DuckDB, Arrow and the MinIO SDK, and a part that
 * fails stops start-up with a message naming it and the supported alternative. Whether the parts pass inside a native
 * executable can only be seen where one can be built (docs/native.md).
 */
class NativeImageCheckTest {

    @Test
    void everyPartPassesOnTheJvm() {
        assertThatCode(() -> NativeImageCheck.run(NativeImageCheck.parts(true))).doesNotThrowAnyException();
    }

    @Test
    void aFailingPartStopsStartUpNamingThePartAndTheJvmImageAndKeepingTheCause() {
        List<String> ran = new ArrayList<>();
        UnsatisfiedLinkError cause = new UnsatisfiedLinkError("Can't load library: /tmp/libduckdb_java123.so");
        List<NativeImageCheck.Part> parts = List.of(
                new NativeImageCheck.Part("DuckDB (its JNI library, libduckdb_java)", null, () -> {
                    ran.add("duckdb");
                    throw cause;
                }),
                new NativeImageCheck.Part("Arrow", null, () -> ran.add("arrow")));

        assertThatThrownBy(() -> NativeImageCheck.run(parts)).isInstanceOf(IllegalStateException.class).hasCause(cause)
                .hasMessageStartingWith("This native executable cannot use DuckDB (its JNI library, libduckdb_java): "
                        + "java.lang.UnsatisfiedLinkError: Can't load library: /tmp/libduckdb_java123.so.")
                .hasMessageContaining("stops at start-up").hasMessageContaining("Run the JVM image (docker/Dockerfile.jvm)")
                .hasMessageContaining("docs/native.md");
        assertThat(ran).containsExactly("duckdb");
    }

    @Test
    void theMinioSdkIsCheckedOnlyForAnS3ObjectStoreAndItsFailureOffersTheLocalStore() {
        assertThat(NativeImageCheck.parts(false)).extracting(NativeImageCheck.Part::name).noneMatch(n -> n.contains("MinIO"))
                .anyMatch(n -> n.startsWith("DuckDB")).anyMatch(n -> n.contains("C data interface"));
        NativeImageCheck.Part minio = NativeImageCheck.parts(true).stream().filter(p -> p.name().contains("MinIO")).findFirst().orElseThrow();

        assertThat(NativeImageCheck.failure(minio, new LinkageError("no reflection metadata for io.minio.messages.Contents")))
                .contains("cannot use the MinIO SDK").contains("Either set quiver.object-store.type=LOCAL")
                .contains("or run the JVM image");
    }

    @Test
    void theUnsafeAllocatorIsNamedUnlessTheOperatorChoseOne() {
        assumeTrue(System.getenv("ARROW_ALLOCATION_MANAGER_TYPE") == null, "the environment names an allocator");
        String before = System.getProperty(NativeImageCheck.ALLOCATOR_PROPERTY);
        try {
            System.clearProperty(NativeImageCheck.ALLOCATOR_PROPERTY);
            NativeImageCheck.nameArrowAllocator();
            assertThat(System.getProperty(NativeImageCheck.ALLOCATOR_PROPERTY)).isEqualTo("Unsafe");

            System.setProperty(NativeImageCheck.ALLOCATOR_PROPERTY, "Netty");
            NativeImageCheck.nameArrowAllocator();
            assertThat(System.getProperty(NativeImageCheck.ALLOCATOR_PROPERTY)).isEqualTo("Netty");
        } finally {
            if (before == null) {
                System.clearProperty(NativeImageCheck.ALLOCATOR_PROPERTY);
            } else {
                System.setProperty(NativeImageCheck.ALLOCATOR_PROPERTY, before);
            }
        }
    }
}
