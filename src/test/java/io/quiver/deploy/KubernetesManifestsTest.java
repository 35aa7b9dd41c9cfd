package io.quiver.deploy;

import static io.quiver.deploy.Deployable.CONFIG_MAP;
import static io.quiver.deploy.Deployable.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.Secret;
import io.quiver.deploy.Deployable.Workload;
import io.quiver.deploy.Manifests.Doc;

/**
 * The Kubernetes and Knative manifests under k8s/ against the app they deploy. Every YAML document must fit the
 * Kubernetes API: read strictly into the fabric8 model, a misspelt or misplaced field or a wrongly typed value fails
 * (field names and types; the API server's other validation is not repeated here). Every kustomization must build from
 * files that exist and patch only what it deploys. What each one deploys, as {@link Kustomize} renders it (compared
 * with {@code kubectl kustomize} where kubectl is installed), must call the app's health endpoints on its HTTP port,
 * set only environment variables the app reads (docs/configuration.md, the placeholders of application.properties),
 * run non-root on a read-only root filesystem with every directory the app writes on a size-limited volume, give the
 * app its shutdown timeout before it is killed, and fit the app's memory and disk settings in the pod's limits
 * ({@link PodChecks}, {@link PodBudget}); its Services, autoscalers, disruption budgets and key references must name
 * what is deployed with them ({@link ObjectChecks}). A renamed property, a moved port or a misspelt field fails the
 * build here instead of in a cluster.
 */
class KubernetesManifestsTest {

    private static final Path SECRET_TEMPLATE = Path.of("k8s", "base", "secret.example.yaml");

    /** Variables the image reads rather than the app; each with the reason it is allowed. */
    private static final Map<String, String> IMAGE_ENV = Map.of("JDK_JAVA_OPTIONS",
            "JVM options, read by the java launcher itself (docker/Dockerfile.jvm runs java directly)");

    private static final Pattern CREDENTIAL = Pattern.compile(".*(PASSWORD|SECRET|ACCESS_KEY|TOKEN|CREDENTIAL).*");

    private static AppConfiguration app;
    private static List<Deployable> rendered;

    @BeforeAll
    static void readTheApp() {
        app = AppConfiguration.load();
    }

    @Test
    void everyDocumentFitsTheKubernetesApi() {
        List<String> problems = new ArrayList<>();
        for (Path file : Manifests.files()) {
            try {
                if (file.getFileName().toString().equals("kustomization.yaml")) {
                    Kustomize.load(file.getParent());
                    continue;
                }
                for (Doc doc : Manifests.read(file)) {
                    if (doc.type().equals(Manifests.KNATIVE_SERVICE)) {
                        Manifests.knative(doc);
                    } else {
                        Manifests.typed(doc);
                    }
                }
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
        }
        assertThat(Manifests.files()).hasSizeGreaterThan(10);
        assertThat(problems).as("YAML documents under k8s/ that the Kubernetes API would refuse").isEmpty();
    }

    @Test
    void kustomizationsBuildFromFilesThatExistAndUseEveryManifestButTheSecretTemplate() {
        List<String> problems = new ArrayList<>();
        Set<Path> used = new HashSet<>();
        for (Path dir : Deployable.all()) {
            try {
                Kustomize.Kustomization k = Kustomize.load(dir);
                k.resources().stream().map(r -> dir.resolve(r).normalize()).forEach(used::add);
                k.patches().stream().map(p -> dir.resolve(p.path()).normalize()).forEach(used::add);
                Kustomize.build(dir);
            } catch (AssertionError e) {
                problems.add(e.getMessage());
            }
        }
        assertThat(problems.stream().distinct()).as("kustomizations that do not build").isEmpty();
        assertThat(used).as("the Secret template holds placeholders: no kustomization may apply it").doesNotContain(SECRET_TEMPLATE);
        List<Path> unused = Manifests.files().stream()
                .filter(f -> !f.getFileName().toString().equals("kustomization.yaml") && !used.contains(f) && !f.equals(SECRET_TEMPLATE))
                .toList();
        assertThat(unused).as("manifests no kustomization under k8s/ uses (and so nothing checks as deployed)").isEmpty();
        assertThat(Deployable.all()).map(Path::toString)
                .contains("k8s/base", "k8s/overlays/dev", "k8s/overlays/prod", "k8s/knative");
    }

    @Test
    void probesCallTheHealthEndpointsOnTheAppsHttpPort() {
        assertThat(app.managementInterface()).as("quarkus.management.enabled moves health and metrics to another port: update "
                + "the manifests and this test").isFalse();
        assertThat(workloads()).as("pods running the quiver container (base, dev, prod, Knative)").hasSizeGreaterThanOrEqualTo(4);
        assertThat(problems(PodChecks::probes)).as("probes that do not reach the app's health endpoints").isEmpty();
        assertThat(app.imageExposedPort()).as("the port %s exposes is the app's quarkus.http.port", AppConfiguration.DOCKERFILE)
                .isEqualTo(app.httpPort());
    }

    @Test
    void servicesSendTrafficToAPortTheirPodsServe() {
        assertThat(deployables().stream().flatMap(d -> ObjectChecks.services(d).stream())).as("Service ports that lead nowhere").isEmpty();
    }

    @Test
    void theQuiverContainerSetsOnlyVariablesTheAppReads() {
        Map<String, String> set = new TreeMap<>();
        for (Workload w : workloads()) {
            w.container().getEnv().forEach(e -> set.put(e.getName(), w.where()));
            for (EnvFromSource from : w.container().getEnvFrom()) {
                String ref = from.getConfigMapRef() != null ? from.getConfigMapRef().getName() : from.getSecretRef().getName();
                assertThat(ref).as("%s reads variables from %s; this test checks only %s and %s", w.where(), ref, CONFIG_MAP, SECRET)
                        .isIn(CONFIG_MAP, SECRET);
                assertThat(from.getPrefix()).as("%s prefixes the variables of %s", w.where(), ref).isNull();
            }
        }
        for (Path file : Manifests.files()) {
            for (Doc doc : Manifests.read(file)) {
                if (doc.is("ConfigMap", CONFIG_MAP) || doc.is("Secret", SECRET)) {
                    doc.tree().path("data").fieldNames().forEachRemaining(k -> set.put(k, doc.where()));
                    doc.tree().path("stringData").fieldNames().forEachRemaining(k -> set.put(k, doc.where()));
                }
            }
        }
        List<String> problems = new ArrayList<>();
        set.forEach((name, where) -> {
            if (!app.envNames().contains(name) && !IMAGE_ENV.containsKey(name)) {
                problems.add(where + " sets " + name + ", which the app does not read: it is neither in the environment variable "
                        + "column of " + AppConfiguration.DOC + " nor a ${" + name + "} placeholder in " + AppConfiguration.PROPERTIES
                        + " (renamed?)");
            }
        });
        assertThat(set).containsKeys("QUIVER_DB_URL", "QUIVER_DB_PASSWORD", "QUIVER_REDIS_URL", "QUIVER_OBJECT_STORE_S3_BUCKET");
        assertThat(problems).as("environment variables of the quiver container that configure nothing").isEmpty();
    }

    @Test
    void keyReferencesNameKeysThatExist() {
        Set<String> template = secretKeys(Manifests.read(SECRET_TEMPLATE).get(0));
        assertThat(deployables().stream().flatMap(d -> ObjectChecks.keyReferences(d, template).stream()))
                .as("secretKeyRef/configMapKeyRef to keys that do not exist").isEmpty();
    }

    @Test
    void credentialsAreOnlyInSecretsAndTheTemplateOnlyHasPlaceholders() {
        List<String> problems = new ArrayList<>();
        for (Path file : Manifests.files()) {
            for (Doc doc : Manifests.read(file)) {
                if (doc.kind().equals("ConfigMap")) {
                    doc.tree().path("data").fieldNames().forEachRemaining(k -> {
                        if (CREDENTIAL.matcher(k).matches()) {
                            problems.add(doc.where() + " holds " + k + ", a credential: it belongs in the Secret " + SECRET);
                        }
                    });
                }
                if (doc.is("Secret", SECRET) && !file.equals(SECRET_TEMPLATE)) {
                    assertThat(secretKeys(doc)).as("%s has the keys of %s", doc.where(), SECRET_TEMPLATE)
                            .isEqualTo(secretKeys(Manifests.read(SECRET_TEMPLATE).get(0)));
                }
            }
        }
        Doc template = Manifests.read(SECRET_TEMPLATE).get(0);
        assertThat(template.tree().has("data")).as("%s uses stringData only", SECRET_TEMPLATE).isFalse();
        template.tree().path("stringData").fields().forEachRemaining(f -> assertThat(f.getValue().asText())
                .as("%s value of %s is a placeholder", SECRET_TEMPLATE, f.getKey()).isEqualTo("CHANGE_ME"));
        assertThat(problems).as("credentials outside Secrets").isEmpty();
    }

    @Test
    void theContainerRunsAsTheImagesNonRootUserWithoutPrivileges() {
        assertThat(problems(PodChecks::security)).as("security settings of the quiver container").isEmpty();
    }

    @Test
    void everyDirectoryTheAppWritesIsOnASizeLimitedVolumeItFits() {
        assertThat(problems(PodChecks::volumes)).as("directories the app writes that are not on a size-limited volume, or outgrow it")
                .isEmpty();
    }

    @Test
    void memoryAndCpuFitTheContainersLimits() {
        assertThat(problems(PodChecks::resources)).as("resources of the quiver container").isEmpty();
    }

    @Test
    void podsGetTheAppsShutdownTimeoutBeforeTheyAreKilled() {
        assertThat(problems(PodChecks::shutdown)).as("shutdown timing").isEmpty();
    }

    @Test
    void prometheusScrapesTheMetricsEndpoint() {
        assertThat(problems(PodChecks::prometheus)).as("Prometheus annotations").isEmpty();
    }

    @Test
    void autoscalersAndDisruptionBudgetsFitTheDeployment() {
        assertThat(deployables().stream().flatMap(d -> ObjectChecks.scaling(d).stream())).as("autoscalers and disruption budgets").isEmpty();
    }

    @Test
    void knativeScalesToZeroAndTargetsAConcurrencyUnderItsLimit() {
        List<Workload> knative = workloads().stream().filter(Workload::knative).toList();
        assertThat(knative).as("the Knative Service under k8s/knative").hasSize(1);
        for (Workload w : knative) {
            Map<String, String> a = w.podMetadata().getAnnotations();
            long limit = w.service().orElseThrow().revision().path("containerConcurrency").asLong(0);
            assertThat(a).as("%s scales to zero", w.where()).containsEntry("autoscaling.knative.dev/min-scale", "0");
            assertThat(a).as("%s has a concurrency target", w.where()).containsKey("autoscaling.knative.dev/target");
            assertThat(limit).as("%s has a containerConcurrency", w.where()).isPositive();
            assertThat(Double.parseDouble(a.get("autoscaling.knative.dev/target"))).as("%s targets fewer requests per pod than its "
                    + "containerConcurrency", w.where()).isLessThan(limit);
        }
    }

    /** {@link Kustomize} renders what kustomize renders: checked against kubectl's kustomize where kubectl is installed. */
    @Test
    void rendersAsKubectlKustomizeDoes() throws Exception {
        Optional<Path> kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "kubectl")).filter(Files::isExecutable).findFirst();
        assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH: the rendering is not compared with kustomize's");
        for (Deployable d : deployables()) {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process p = new ProcessBuilder(kubectl.get().toString(), "kustomize", d.dir().toString())
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("kubectl kustomize %s finished", d.dir()).isTrue();
                assertThat(p.exitValue()).as("kubectl kustomize %s: %s", d.dir(), Files.readString(err)).isZero();
                assertThat(byName(d.docs())).as("%s rendered by Kustomize (the test's helper) and by kubectl kustomize", d.dir())
                        .isEqualTo(byName(Manifests.read(out)));
            } finally {
                Files.delete(out);
                Files.delete(err);
            }
        }
    }

    private static Map<String, JsonNode> byName(List<Doc> docs) {
        Map<String, JsonNode> out = new TreeMap<>();
        docs.forEach(d -> out.put(d.type() + " " + d.name(), d.tree()));
        return out;
    }

    /** Every kustomization under k8s/, rendered once; a test that needs them fails with the reason one does not build. */
    private static synchronized List<Deployable> deployables() {
        if (rendered == null) {
            rendered = Deployable.all().stream().map(Deployable::render).toList();
        }
        return rendered;
    }

    private static List<Workload> workloads() {
        return deployables().stream().flatMap(d -> d.workloads().stream()).toList();
    }

    /** What breaks a rule, over every pod that runs the quiver container. */
    private static List<String> problems(BiFunction<Workload, AppConfiguration, List<String>> rule) {
        return workloads().stream().flatMap(w -> rule.apply(w, app).stream()).toList();
    }

    private static Set<String> secretKeys(Doc doc) {
        return ObjectChecks.keys(Manifests.strict(doc.tree(), Secret.class, doc.where()));
    }
}
