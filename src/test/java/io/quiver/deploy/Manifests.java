package io.quiver.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The YAML documents under k8s/, and their strict reading into the fabric8 Kubernetes model. fabric8's classes keep
 * fields they do not know in {@code additionalProperties}; here that is switched off, so a field the Kubernetes API
 * does not have (a typo, a field at the wrong level) fails, and so does a number or boolean where the API wants a
 * string (an unquoted {@code "true"} in a ConfigMap), as the API server would refuse it.
 */
final class Manifests {

    static final Path ROOT = Path.of("k8s");
    static final String KNATIVE_SERVICE = "serving.knative.dev/v1/Service";

    /** The model class of each apiVersion/kind the manifests may use; a new kind must be added here to be checked. */
    static final Map<String, Class<? extends HasMetadata>> MODELS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "batch/v1/Job", Job.class);

    // Fields of a Knative revision (serving.knative.dev/v1) besides its PodSpec, and the PodSpec and Container fields
    // Knative Serving accepts without feature flags (its pkg/apis/serving/fieldmask.go; startupProbe since 1.15).
    private static final Set<String> KNATIVE_REVISION_FIELDS = Set.of("containerConcurrency", "timeoutSeconds",
            "responseStartTimeoutSeconds", "idleTimeoutSeconds");
    private static final Set<String> KNATIVE_POD_FIELDS = Set.of("containers", "volumes", "serviceAccountName",
            "imagePullSecrets", "enableServiceLinks");
    private static final Set<String> KNATIVE_CONTAINER_FIELDS = Set.of("name", "args", "command", "env", "workingDir", "envFrom",
            "image", "imagePullPolicy", "livenessProbe", "readinessProbe", "startupProbe", "ports", "resources", "securityContext",
            "terminationMessagePath", "terminationMessagePolicy", "volumeMounts");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    private static final ObjectMapper STRICT = strictMapper();

    /** One YAML document: the file it is in, the line it starts on, its tree. */
    record Doc(Path file, int line, JsonNode tree) {

        String apiVersion() {
            return tree.path("apiVersion").asText();
        }

        String kind() {
            return tree.path("kind").asText();
        }

        String name() {
            return tree.path("metadata").path("name").asText();
        }

        /** apiVersion/kind, the key of {@link #MODELS}. */
        String type() {
            return apiVersion() + "/" + kind();
        }

        String where() {
            return kind() + " " + name() + " (" + file + ":" + line + ")";
        }

        boolean is(String kind, String name) {
            return kind().equals(kind) && name().equals(name);
        }
    }

    /** A Knative Service: its metadata, its revision template's metadata and pod, and the revision's own settings. */
    record KnativeService(Doc doc, ObjectMeta metadata, ObjectMeta templateMetadata, PodSpec pod, JsonNode revision) {
    }

    private Manifests() {
    }

    /** Every .yaml file under k8s/, in a stable order. */
    static List<Path> files() {
        try (Stream<Path> all = Files.walk(ROOT)) {
            return all.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents of a YAML file (empty ones skipped); a duplicate key fails, as it does for kubectl. */
    static List<Doc> read(Path file) {
        List<Doc> docs = new ArrayList<>();
        try (JsonParser p = YAML.getFactory().createParser(file.toFile())) {
            while (p.nextToken() != null) {
                int line = p.currentTokenLocation().getLineNr();
                JsonNode tree = YAML.readTree(p);
                if (tree == null || tree.isNull() || tree.isMissingNode()) {
                    continue;
                }
                if (!tree.isObject()) {
                    throw new AssertionError(file + ":" + line + " is not a YAML mapping");
                }
                docs.add(new Doc(file, line, tree));
            }
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    static <T> T strict(JsonNode tree, Class<T> type, String where) {
        try {
            return STRICT.treeToValue(tree, type);
        } catch (IOException e) {
            throw new AssertionError(where + " does not fit the Kubernetes API's " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The document in the model of its kind. Kustomize's {@code $patch} directive is not part of the object and is left
     * out; a patch is read as the partial object it is.
     */
    static HasMetadata typed(Doc doc) {
        Class<? extends HasMetadata> type = MODELS.get(doc.type());
        if (type == null) {
            throw new AssertionError(doc.file() + ":" + doc.line() + " is a " + doc.type() + ", which this test has no model for: add "
                    + "it to Manifests.MODELS (or read it like the Knative Service) so that it is checked");
        }
        ObjectNode tree = doc.tree().deepCopy();
        tree.remove("$patch");
        return strict(tree, type, doc.where());
    }

    /**
     * A Knative Service, read as the GenericKubernetesResource it is to fabric8, then field by field: the fields of
     * a Service and its template, Knative's restrictions on the pod and container, and the pod itself read strictly as
     * a PodSpec.
     */
    static KnativeService knative(Doc doc) {
        String where = doc.where();
        JsonNode tree = doc.tree();
        onlyFields(tree, Set.of("apiVersion", "kind", "metadata", "spec"), where);
        onlyFields(tree.path("spec"), Set.of("template", "traffic"), where + " spec");
        JsonNode template = tree.path("spec").path("template");
        onlyFields(template, Set.of("metadata", "spec"), where + " spec.template");
        ObjectNode pod = template.path("spec").deepCopy();
        ObjectNode revision = pod.objectNode();
        for (String field : KNATIVE_REVISION_FIELDS) {
            if (pod.has(field)) {
                revision.set(field, pod.remove(field));
            }
        }
        onlyFields(pod, KNATIVE_POD_FIELDS, where + " spec.template.spec (Knative refuses other pod fields)");
        for (JsonNode container : pod.path("containers")) {
            onlyFields(container, KNATIVE_CONTAINER_FIELDS, where + " container " + container.path("name").asText()
                    + " (Knative refuses other container fields, e.g. lifecycle)");
        }
        return new KnativeService(doc, strict(tree.path("metadata"), ObjectMeta.class, where + " metadata"),
                strict(template.path("metadata"), ObjectMeta.class, where + " spec.template.metadata"),
                strict(pod, PodSpec.class, where + " spec.template.spec"), revision);
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, String where) {
        Set<String> unknown = new TreeSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new AssertionError(where + " has fields " + unknown + " outside " + new TreeSet<>(allowed));
        }
    }

    private static ObjectMapper strictMapper() {
        SimpleModule noAnySetter = new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean, BeanDeserializerBuilder builder) {
                if (bean.getBeanClass().getName().startsWith("io.fabric8.kubernetes.api.model.")) {
                    builder.setAnySetter(null);
                    builder.setIgnoreUnknownProperties(false);
                }
                return builder;
            }
        });
        ObjectMapper mapper = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).addModule(noAnySetter).build();
        for (CoercionInputShape scalar : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
        }
        for (LogicalType scalar : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(scalar).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return mapper;
    }
}
