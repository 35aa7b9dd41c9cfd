package io.quiver.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quiver.deploy.Manifests.Doc;
import io.quiver.deploy.Manifests.KnativeService;

/**
 * One kustomization under k8s/ as it deploys: its rendered objects in the Kubernetes model, and the pods that run
 * the quiver container (a Deployment's, or a Knative Service's revision), with the value each setting takes there.
 */
record Deployable(Path dir, List<Doc> docs, List<HasMetadata> objects, List<Workload> workloads) {

    static final String CONTAINER = "quiver";
    static final String CONFIG_MAP = "quiver-config";
    static final String SECRET = "quiver-secrets";

    private static final Pattern TMPDIR = Pattern.compile("-Djava\\.io\\.tmpdir=(\\S+)");

    /**
     * The quiver container's pod as one Deployment or Knative Service runs it. {@code configMap} is the ConfigMap its
     * envFrom reads: the one this kustomization deploys, or base's for the Knative Service, which deploys none.
     */
    record Workload(String where, boolean knative, ObjectMeta podMetadata, PodSpec pod, Container container, Optional<ConfigMap> configMap,
            Optional<KnativeService> service) {

        /** The variable as the container sees it: its own env, else the ConfigMap; empty when neither sets it. */
        Optional<String> env(String name) {
            for (EnvVar e : container.getEnv()) {
                if (e.getName().equals(name) && e.getValue() != null) {
                    return Optional.of(e.getValue());
                }
            }
            return configMap.map(ConfigMap::getData).map(d -> d.get(name));
        }

        /** The variable's value, or the app's default when it is not set. */
        Optional<String> setting(String name, AppConfiguration app) {
            return env(name).or(() -> app.defaultOf(name));
        }

        String require(String name, AppConfiguration app) {
            return setting(name, app).orElseThrow(() -> new AssertionError(where + ": " + name + " is not set and has no default"));
        }

        /** The JVM options the container sets: JDK_JAVA_OPTIONS for the JVM image, the arguments of the native one. */
        String jvmOptions() {
            return knative ? String.join(" ", container.getArgs()) : env("JDK_JAVA_OPTIONS").orElse("");
        }

        /** java.io.tmpdir of the app: /tmp unless the JVM options move it. */
        String tmpdir() {
            Matcher m = TMPDIR.matcher(jvmOptions());
            return m.find() ? m.group(1) : "/tmp";
        }

        /** The mount holding a path (the deepest one), if any. */
        Optional<VolumeMount> mountFor(String path) {
            Path p = Path.of(path).normalize();
            return container.getVolumeMounts().stream().filter(m -> p.startsWith(Path.of(m.getMountPath())))
                    .max(Comparator.comparing(m -> Path.of(m.getMountPath()).getNameCount()));
        }

        Optional<Volume> volume(String name) {
            return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst();
        }
    }

    /** Every directory under k8s/ with a kustomization.yaml, in a stable order. */
    static List<Path> all() {
        try (Stream<Path> files = Files.walk(Manifests.ROOT)) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Deployable render(Path dir) {
        List<Doc> docs = Kustomize.build(dir);
        List<HasMetadata> objects = new ArrayList<>();
        List<KnativeService> services = new ArrayList<>();
        for (Doc d : docs) {
            if (d.type().equals(Manifests.KNATIVE_SERVICE)) {
                services.add(Manifests.knative(d));
            } else {
                objects.add(Manifests.typed(d));
            }
        }
        Optional<ConfigMap> configMap = find(objects, ConfigMap.class, CONFIG_MAP)
                .or(() -> services.isEmpty() ? Optional.empty() : find(render(Path.of("k8s", "base")).objects(), ConfigMap.class, CONFIG_MAP));
        List<Workload> workloads = new ArrayList<>();
        String as = " as " + dir + " deploys it";
        for (HasMetadata o : objects) {
            if (o instanceof Deployment d) {
                PodSpec pod = d.getSpec().getTemplate().getSpec();
                quiver(pod).ifPresent(c -> workloads.add(new Workload("Deployment " + d.getMetadata().getName() + as, false,
                        d.getSpec().getTemplate().getMetadata(), pod, c, configMap, Optional.empty())));
            }
        }
        for (KnativeService s : services) {
            quiver(s.pod()).ifPresent(c -> workloads.add(new Workload("Knative Service " + s.metadata().getName() + as, true,
                    s.templateMetadata(), s.pod(), c, configMap, Optional.of(s))));
        }
        return new Deployable(dir, docs, objects, workloads);
    }

    private static Optional<Container> quiver(PodSpec pod) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(CONTAINER)).findFirst();
    }

    static <T extends HasMetadata> Optional<T> find(List<HasMetadata> objects, Class<T> type, String name) {
        return objects.stream().filter(type::isInstance).map(type::cast).filter(o -> o.getMetadata().getName().equals(name)).findFirst();
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Where an object comes from, for messages: its kind and name, and the file of its first document. */
    String where(HasMetadata o) {
        String file = docs.stream().filter(d -> d.is(o.getKind(), o.getMetadata().getName())).map(d -> d.file() + ":" + d.line())
                .findFirst().orElse("?");
        return o.getKind() + " " + o.getMetadata().getName() + " (" + file + ", as " + dir + " deploys it)";
    }

    static Map<String, String> labels(ObjectMeta meta) {
        return meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels();
    }
}
