package io.quiver.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.Mutation;
import org.eclipse.microprofile.graphql.Query;
import io.smallrye.graphql.api.Subscription;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;

/**
 * Every GraphQL operation and every REST endpoint declares the role it needs, and mutations are never open to
 * readers: an operation added without {@link Requires} fails the build.
 */
class EveryOperationDeclaresARoleTest {

    private static List<Class<?>> apiClasses() {
        List<Class<?>> out = new ArrayList<>();
        for (JavaClass c : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.quiver.api")) {
            Class<?> type = c.reflect();
            if (type.isAnnotationPresent(GraphQLApi.class) || type.isAnnotationPresent(Path.class)) {
                out.add(type);
            }
        }
        return out;
    }

    @Test
    void everyOperationDeclaresARole() {
        Map<String, Role> roles = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (Class<?> type : apiClasses()) {
            for (Method m : type.getDeclaredMethods()) {
                boolean operation = m.isAnnotationPresent(Query.class) || m.isAnnotationPresent(Mutation.class) || m.isAnnotationPresent(Subscription.class)
                        || m.isAnnotationPresent(GET.class) || m.isAnnotationPresent(POST.class) || m.isAnnotationPresent(PUT.class)
                        || m.isAnnotationPresent(DELETE.class);
                if (!operation) {
                    continue;
                }
                Requires r = m.getAnnotation(Requires.class);
                if (r == null) {
                    missing.add(type.getSimpleName() + "." + m.getName());
                } else {
                    roles.put(type.getSimpleName() + "." + m.getName(), r.value());
                    if (m.isAnnotationPresent(Mutation.class)) {
                        assertThat(r.value()).as("mutation %s.%s", type.getSimpleName(), m.getName()).isNotEqualTo(Role.READER);
                    }
                }
            }
        }
        assertThat(missing).as("operations without @Requires").isEmpty();
        // the operations the security model names
        assertThat(roles).containsEntry("RegistryGraphQL.register", Role.ADMIN).containsEntry("OfflineGraphQL.write", Role.WRITER)
                .containsEntry("OnlineGraphQL.materialize", Role.WRITER).containsEntry("HybridGraphQL.forceStrategy", Role.ADMIN)
                .containsEntry("SecurityGraphQL.createApiKey", Role.ADMIN).containsEntry("OfflineResource.write", Role.WRITER)
                .containsEntry("FeastResource.getOnlineFeatures", Role.READER).containsEntry("OnlineGraphQL.onlineFeatures", Role.READER);
        assertThat(roles.size()).isGreaterThan(40);
    }
}
