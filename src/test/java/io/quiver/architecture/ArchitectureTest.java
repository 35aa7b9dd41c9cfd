package io.quiver.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import io.quiver.json.JsonPolicy;
import jakarta.persistence.Entity;

/**
 * The package dependency rule of docs/architecture.md, checked on the compiled main classes: capability packages
 * form no cycle, each depends only on the layers below it, nothing depends on {@code api}, persistence rows stay in
 * their owning package, only {@link JsonPolicy} creates a JSON mapper, and only {@code concurrent} makes threads. The fixture test shows the cycle rule
 * does fail on a cycle.
 */
class ArchitectureTest {

    static final String ROOT = "io.quiver";

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
    }

    /** No cycle between the capability packages (io.quiver.X), whatever the layers say. */
    static ArchRule noCyclesBetweenCapabilities(String root) {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles();
    }

    @Test
    void capabilityPackagesHaveNoCycles() {
        noCyclesBetweenCapabilities(ROOT).check(main);
    }

    @Test
    void theRegistrysOwnPackagesHaveNoCycles() {
        slices().matching(ROOT + ".registry.(*)..").should().beFreeOfCycles().check(main);
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("api").definedBy(ROOT + ".api..")
                .layer("edges").definedBy(ROOT + ".health..", ROOT + ".demo..")
                .layer("security").definedBy(ROOT + ".security..")
                .layer("serving").definedBy(ROOT + ".serving..", ROOT + ".hybrid..")
                .layer("ingest").definedBy(ROOT + ".ingest..")
                .layer("online").definedBy(ROOT + ".online..")
                .layer("virtual").definedBy(ROOT + ".virtual..")
                .layer("offline").definedBy(ROOT + ".offline..")
                .layer("storage").definedBy(ROOT + ".columnar..", ROOT + ".objectstore..", ROOT + ".access..")
                .layer("registry").definedBy(ROOT + ".registry..")
                .layer("foundation").definedBy(ROOT + ".json..", ROOT + ".audit..", ROOT + ".config..", ROOT + ".error..", ROOT + ".concurrent..", ROOT + ".metrics..")
                .whereLayer("api").mayNotBeAccessedByAnyLayer()
                .whereLayer("edges").mayNotBeAccessedByAnyLayer()
                .whereLayer("security").mayOnlyBeAccessedByLayers("api", "edges")
                .whereLayer("serving").mayOnlyBeAccessedByLayers("api", "edges")
                .whereLayer("ingest").mayOnlyBeAccessedByLayers("api", "edges", "serving")
                .whereLayer("online").mayOnlyBeAccessedByLayers("api", "edges", "serving", "ingest")
                .whereLayer("virtual").mayOnlyBeAccessedByLayers("api", "edges", "serving", "ingest")
                .whereLayer("offline").mayOnlyBeAccessedByLayers("api", "edges", "serving", "ingest", "online", "virtual")
                .whereLayer("storage").mayOnlyBeAccessedByLayers("api", "edges", "serving", "ingest", "online", "virtual", "offline")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("api", "edges", "security", "serving", "ingest", "online", "virtual", "offline",
                        "storage")
                .check(main);
    }

    @Test
    void nothingDependsOnTheApi() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".api..").should().dependOnClassesThat().resideInAPackage(ROOT + ".api..")
                .check(main);
    }

    @Test
    void persistenceRowsAreUsedOnlyInTheirOwnPackage() {
        classes().that().areAnnotatedWith(Entity.class).should(onlyBeAccessedFromTheirOwnPackage()).check(main);
    }

    @Test
    void onlyTheJsonPolicyCreatesAMapper() {
        noClasses().that().doNotBelongToAnyOf(JsonPolicy.class).should().callConstructor(ObjectMapper.class).check(main);
    }

    @Test
    void onlyTheConcurrentPackageMakesThreads() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".concurrent..")
                .should().callConstructorWhere(com.tngtech.archunit.base.DescribedPredicate.describe("of a thread or thread pool",
                        call -> call.getTargetOwner().isAssignableTo(Thread.class)
                                || call.getTargetOwner().isAssignableTo(java.util.concurrent.ThreadPoolExecutor.class)))
                .orShould().callMethodWhere(com.tngtech.archunit.base.DescribedPredicate.describe("of Executors",
                        call -> call.getTargetOwner().isEquivalentTo(java.util.concurrent.Executors.class)))
                .check(main);
    }

    /** The cycle rule on two fixture packages that import each other: it must report the cycle. */
    @Test
    void theCycleRuleFailsOnACycle() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.quiver.architecture.fixture");
        assertThat(fixture.size()).isGreaterThanOrEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> noCyclesBetweenCapabilities("io.quiver.architecture.fixture").check(fixture))
                .isInstanceOf(AssertionError.class).hasMessageContaining("Cycle detected");
    }

    private static ArchCondition<JavaClass> onlyBeAccessedFromTheirOwnPackage() {
        return new ArchCondition<>("only be accessed from their own package") {
            @Override
            public void check(JavaClass row, ConditionEvents events) {
                for (JavaAccess<?> access : row.getAccessesToSelf()) {
                    JavaClass from = access.getOriginOwner();
                    if (!from.getPackageName().equals(row.getPackageName())) {
                        events.add(SimpleConditionEvent.violated(access, access.getDescription()));
                    }
                }
                row.getDirectDependenciesToSelf().stream().filter(d -> !d.getOriginClass().getPackageName().equals(row.getPackageName()))
                        .forEach(d -> events.add(SimpleConditionEvent.violated(d, d.getDescription())));
            }
        };
    }
}
