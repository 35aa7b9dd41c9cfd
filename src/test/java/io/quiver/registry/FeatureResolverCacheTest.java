package io.quiver.registry;

import static io.quiver.support.GraphQL.entity;
import static io.quiver.support.GraphQL.feature;
import static io.quiver.support.GraphQL.group;
import static io.quiver.support.GraphQL.register;
import static io.quiver.support.GraphQL.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.hibernate.SessionFactory;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quiver.error.FeatureGroupNotFoundException;
import io.quiver.error.FeatureNotFoundException;
import io.quiver.support.PostgresTestDatabase;
import io.quiver.support.RedisTestResource;
import io.quiver.support.S3ProxyTestResource;
import jakarta.inject.Inject;

/** The serving path's name lookup: cached, and never stale after a registration through this instance. */
@QuarkusTest
@WithTestResource(value = PostgresTestDatabase.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = S3ProxyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
class FeatureResolverCacheTest {

    @Inject
    FeatureResolver resolver;

    @Inject
    SessionFactory sessionFactory;

    @Test
    void repeatedLookupsDoNotQueryTheDatabase() {
        String e = unique("cust");
        String name = unique("cached");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("amount", "DOUBLE")))));

        assertThat(resolver.resolve(name + ".amount").feature().dataTypeDetail().toString()).isEqualTo("DOUBLE");
        sessionFactory.getStatistics().clear();
        for (int i = 0; i < 1000; i++) {
            resolver.resolve(name + ".amount");
            resolver.resolve(name + ":amount");
        }
        assertThat(sessionFactory.getStatistics().getPrepareStatementCount()).isZero();
    }

    @Test
    void aRegistrationInvalidatesTheCachedDefinition() {
        String e = unique("cust");
        String name = unique("fresh");
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("amount", "DOUBLE")))));
        assertThat(resolver.resolve(name + ".amount").schema().group().version()).isEqualTo(1);

        register(List.of(), List.of(group(name, e, List.of(feature("amount", "BIGINT")))));

        ResolvedFeatureAssert.version(resolver.resolve(name + ".amount"), 2, "BIGINT");
        ResolvedFeatureAssert.version(resolver.resolve(name + "@1.amount"), 1, "DOUBLE");
    }

    @Test
    void aGroupRegisteredAfterAMissIsFound() {
        String e = unique("cust");
        String name = unique("late");
        assertThatThrownBy(() -> resolver.resolve(name + ".x")).isInstanceOf(FeatureGroupNotFoundException.class);
        register(List.of(entity(e, "customer_id", "BIGINT")), List.of(group(name, e, List.of(feature("x", "INT")))));
        assertThat(resolver.resolve(name + ".x").feature().name()).isEqualTo("x");
        assertThatThrownBy(() -> resolver.resolve(name + ".y")).isInstanceOf(FeatureNotFoundException.class)
                .hasMessageContaining("did you mean x?");
    }

    private static final class ResolvedFeatureAssert {
        static void version(io.quiver.registry.ResolvedFeature f, int version, String type) {
            assertThat(f.schema().group().version()).isEqualTo(version);
            assertThat(f.feature().dataTypeDetail().toString()).isEqualTo(type);
        }
    }
}
