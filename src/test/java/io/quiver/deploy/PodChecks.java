package io.quiver.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.quiver.deploy.Deployable.Workload;

/**
 * The rules a pod running the quiver container must follow, against what the app says of itself
 * ({@link AppConfiguration}): each returns what breaks it, one sentence per problem, naming the pod and the setting.
 */
final class PodChecks {

    private PodChecks() {
    }

    /** Startup, liveness and readiness probes GET the app's health endpoints on its HTTP port. */
    static List<String> probes(Workload w, AppConfiguration app) {
        List<String> problems = new ArrayList<>();
        List<ContainerPort> ports = w.container().getPorts();
        Optional<ContainerPort> http = ports.stream().filter(p -> p.getContainerPort() == app.httpPort()).findFirst();
        if (http.isEmpty()) {
            problems.add(w.where() + " declares no container port " + app.httpPort() + " (quarkus.http.port)");
            return problems;
        }
        if (w.knative() && (ports.size() != 1 || !Set.of("http1", "h2c").contains(http.get().getName()))) {
            problems.add(w.where() + " must declare one port, named http1 or h2c (Knative refuses others)");
        }
        Map<String, Function<Container, Probe>> probes = Map.of("started", Container::getStartupProbe, "live", Container::getLivenessProbe,
                "ready", Container::getReadinessProbe);
        probes.forEach((which, probe) -> {
            Probe p = probe.apply(w.container());
            HTTPGetAction get = p == null ? null : p.getHttpGet();
            String path = app.healthPath(which);
            if (get == null) {
                problems.add(w.where() + " has no HTTP probe on " + path);
            } else if (!path.equals(get.getPath())) {
                problems.add(w.where() + " probes " + get.getPath() + " where the app serves " + path);
            } else if (!(w.knative() && get.getPort() == null) && !names(get.getPort(), http.get())) {
                // Knative fills in its serving port when a probe names none
                problems.add(w.where() + " probes " + path + " on port " + (get.getPort() == null ? "(none)" : get.getPort().getValue())
                        + ", not on " + http.get().getName() + " (" + app.httpPort() + ")");
            }
        });
        return problems;
    }

    /** Non-root as the image's user, read-only root filesystem, no privileges, no service links or API token. */
    static List<String> security(Workload w, AppConfiguration app) {
        List<String> problems = new ArrayList<>();
        SecurityContext c = Optional.ofNullable(w.container().getSecurityContext()).orElse(new SecurityContext());
        PodSecurityContext p = Optional.ofNullable(w.pod().getSecurityContext()).orElse(new PodSecurityContext());
        Long user = Optional.ofNullable(c.getRunAsUser()).orElse(p.getRunAsUser());
        SeccompProfile seccomp = Optional.ofNullable(c.getSeccompProfile()).orElse(p.getSeccompProfile());
        check(problems, w, Boolean.TRUE.equals(Optional.ofNullable(c.getRunAsNonRoot()).orElse(p.getRunAsNonRoot())), "runAsNonRoot: true");
        check(problems, w, user != null && user != 0, "a runAsUser other than 0");
        check(problems, w, w.knative() || Long.valueOf(app.imageUser()).equals(user),
                "runAsUser " + app.imageUser() + ", the USER of " + AppConfiguration.DOCKERFILE + " that owns its files");
        check(problems, w, Boolean.TRUE.equals(c.getReadOnlyRootFilesystem()), "readOnlyRootFilesystem: true");
        check(problems, w, Boolean.FALSE.equals(c.getAllowPrivilegeEscalation()), "allowPrivilegeEscalation: false");
        check(problems, w, c.getCapabilities() != null && c.getCapabilities().getDrop().contains("ALL") && c.getCapabilities().getAdd().isEmpty(),
                "capabilities that drop ALL and add none");
        check(problems, w, seccomp != null && Set.of("RuntimeDefault", "Localhost").contains(seccomp.getType()),
                "a RuntimeDefault (or Localhost) seccompProfile");
        check(problems, w, Boolean.FALSE.equals(w.pod().getEnableServiceLinks()), "enableServiceLinks: false (a Service named quiver "
                + "would otherwise put QUIVER_SERVICE_HOST, QUIVER_PORT, ... among the app's settings)");
        // Knative refuses the field (and does not mount the token unless asked)
        check(problems, w, w.knative() || Boolean.FALSE.equals(w.pod().getAutomountServiceAccountToken()),
                "automountServiceAccountToken: false (the app does not call the Kubernetes API)");
        return problems;
    }

    /**
     * Every mount has its volume and every volume is mounted; the app writes (java.io.tmpdir, every {@code *-dir} and
     * {@code *-directory} setting of docs/configuration.md) only to size-limited emptyDirs, keeps no store inside the
     * pod, and fits what it keeps there ({@link PodBudget#disk}).
     */
    static List<String> volumes(Workload w, AppConfiguration app) {
        List<String> problems = new ArrayList<>();
        Set<String> mounted = new TreeSet<>();
        for (VolumeMount m : w.container().getVolumeMounts()) {
            mounted.add(m.getName());
            Optional<Volume> v = w.volume(m.getName());
            if (v.isEmpty()) {
                problems.add(w.where() + " mounts volume " + m.getName() + ", which the pod does not define");
            } else if (!Boolean.TRUE.equals(m.getReadOnly()) && (v.get().getEmptyDir() == null || v.get().getEmptyDir().getSizeLimit() == null)) {
                problems.add(w.where() + " writes to volume " + m.getName() + ", which is not an emptyDir with a sizeLimit");
            }
        }
        w.pod().getVolumes().stream().filter(v -> !mounted.contains(v.getName()))
                .forEach(v -> problems.add(w.where() + " defines volume " + v.getName() + ", which no container mounts"));
        writable(problems, w, "java.io.tmpdir", w.tmpdir());
        for (AppConfiguration.Setting s : app.settings()) {
            if (s.property().endsWith("-dir") || s.property().endsWith("-directory")) {
                // unset, each of these is a directory under java.io.tmpdir (docs/configuration.md)
                String dir = w.env(s.env()).orElse(w.tmpdir());
                if (!dir.startsWith("/")) {
                    problems.add(w.where() + " sets " + s.env() + " to the relative path " + dir + ", below the image's read-only "
                            + "working directory");
                }
                writable(problems, w, s.env(), dir);
            }
        }
        // Stores inside the pod would be lost with it (objects) or differ between replicas (online values).
        check(problems, w, w.setting("QUIVER_OBJECT_STORE_TYPE", app).orElse("").equals("S3"), "QUIVER_OBJECT_STORE_TYPE S3");
        check(problems, w, w.setting("QUIVER_ONLINE_TYPE", app).orElse("").equals("REDIS"), "QUIVER_ONLINE_TYPE REDIS");
        problems.addAll(PodBudget.disk(w, app));
        return problems;
    }

    /** CPU and memory requests and limits, a heap sized by the container (keeping the image's JVM options), and {@link PodBudget#memory}. */
    static List<String> resources(Workload w, AppConfiguration app) {
        List<String> problems = new ArrayList<>();
        var resources = w.container().getResources();
        for (String r : List.of("cpu", "memory")) {
            check(problems, w, resources.getRequests().containsKey(r) && resources.getLimits().containsKey(r), "requests and limits of " + r);
        }
        List<String> options = List.of(w.jvmOptions().split("\\s+"));
        check(problems, w, options.stream().noneMatch(o -> o.startsWith("-Xmx") || o.startsWith("-Xms")), "no fixed -Xmx or -Xms");
        check(problems, w, w.knative() || options.containsAll(app.imageJavaOptions()), "every option of the image's JDK_JAVA_OPTIONS "
                + app.imageJavaOptions() + ", which its own JDK_JAVA_OPTIONS replaces");
        problems.addAll(PodBudget.memory(w, app));
        return problems;
    }

    /** A preStop sleep lets endpoints drain; the grace period covers it and the app's shutdown timeout. */
    static List<String> shutdown(Workload w, AppConfiguration app) {
        List<String> problems = new ArrayList<>();
        if (w.knative()) {
            return problems; // Knative drains through its queue-proxy and sets the grace period itself (it refuses both fields)
        }
        long timeout = Sizes.quarkusDuration(w.require("QUIVER_SHUTDOWN_TIMEOUT", app)).toSeconds();
        var preStop = w.container().getLifecycle() == null ? null : w.container().getLifecycle().getPreStop();
        List<String> command = preStop == null || preStop.getExec() == null ? List.of() : preStop.getExec().getCommand();
        if (command.size() != 2 || !command.get(0).equals("sleep")) {
            problems.add(w.where() + " has no preStop [sleep, N]: the app would get SIGTERM while endpoints still send it requests");
            return problems;
        }
        long sleep = Long.parseLong(command.get(1));
        Long grace = w.pod().getTerminationGracePeriodSeconds();
        if (grace == null || grace <= sleep + timeout) {
            problems.add(w.where() + " is killed after terminationGracePeriodSeconds " + grace + ", not more than its preStop sleep ("
                    + sleep + " s) plus the app's shutdown timeout (QUIVER_SHUTDOWN_TIMEOUT, " + timeout + " s)");
        }
        return problems;
    }

    /** The scrape annotations name the app's HTTP port and metrics path. */
    static List<String> prometheus(Workload w, AppConfiguration app) {
        List<String> problems = new ArrayList<>();
        Map<String, String> a = Optional.ofNullable(w.podMetadata().getAnnotations()).orElse(Map.of());
        Map<String, String> expected = Map.of("prometheus.io/scrape", "true", "prometheus.io/port", String.valueOf(app.httpPort()),
                "prometheus.io/path", app.metricsPath());
        expected.forEach((k, v) -> check(problems, w, v.equals(a.get(k)), "the pod annotation " + k + ": \"" + v + "\""));
        return problems;
    }

    /** Whether a port reference (a name or a number) designates this container port. */
    static boolean names(IntOrString ref, ContainerPort port) {
        return ref != null && (ref.getIntVal() != null ? ref.getIntVal().equals(port.getContainerPort()) : ref.getStrVal().equals(port.getName()));
    }

    private static void check(List<String> problems, Workload w, boolean ok, String expected) {
        if (!ok) {
            problems.add(w.where() + " needs " + expected);
        }
    }

    private static void writable(List<String> problems, Workload w, String what, String dir) {
        Optional<VolumeMount> mount = w.mountFor(dir);
        if (mount.isEmpty() || Boolean.TRUE.equals(mount.get().getReadOnly())) {
            problems.add(w.where() + ": " + what + " (" + dir + ") is on no writable volume, so on the read-only root filesystem");
        }
    }
}
