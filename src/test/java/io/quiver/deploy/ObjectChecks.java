package io.quiver.deploy;

import static io.quiver.deploy.Deployable.SECRET;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The rules between the objects one kustomization deploys: what a Service, an autoscaler, a disruption budget or a
 * key reference names must be there. Each returns what breaks it, one sentence per problem.
 */
final class ObjectChecks {

    private ObjectChecks() {
    }

    /** Each Service selects a Deployment's pods and targets a port their containers declare. */
    static List<String> services(Deployable d) {
        List<String> problems = new ArrayList<>();
        for (Service s : d.all(Service.class)) {
            Map<String, String> selector = s.getSpec().getSelector();
            List<Deployment> selected = d.all(Deployment.class).stream()
                    .filter(dep -> Deployable.labels(dep.getSpec().getTemplate().getMetadata()).entrySet().containsAll(selector.entrySet()))
                    .toList();
            if (selected.isEmpty()) {
                problems.add(d.where(s) + " selects " + selector + ", which no Deployment's pods carry");
            }
            for (ServicePort port : s.getSpec().getPorts()) {
                for (Deployment dep : selected) {
                    boolean served = dep.getSpec().getTemplate().getSpec().getContainers().stream()
                            .flatMap(c -> c.getPorts().stream()).anyMatch(p -> PodChecks.names(port.getTargetPort(), p));
                    if (!served) {
                        problems.add(d.where(s) + " port " + port.getPort() + " targets " + port.getTargetPort().getValue()
                                + ", which no container of " + d.where(dep) + " declares");
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Each secretKeyRef and configMapKeyRef names a key of an object deployed with it; the Secret quiver-secrets,
     * which the user creates for base and prod, has the keys of its template.
     */
    static List<String> keyReferences(Deployable d, Set<String> templateKeys) {
        List<String> problems = new ArrayList<>();
        List<Container> containers = new ArrayList<>();
        d.all(Deployment.class).forEach(dep -> containers.addAll(dep.getSpec().getTemplate().getSpec().getContainers()));
        d.all(Job.class).forEach(j -> containers.addAll(j.getSpec().getTemplate().getSpec().getContainers()));
        for (Container c : containers) {
            for (EnvVar e : c.getEnv()) {
                if (e.getValueFrom() == null) {
                    continue;
                }
                if (e.getValueFrom().getSecretKeyRef() != null) {
                    var ref = e.getValueFrom().getSecretKeyRef();
                    Set<String> keys = Deployable.find(d.objects(), Secret.class, ref.getName()).map(ObjectChecks::keys)
                            .orElse(ref.getName().equals(SECRET) ? templateKeys : Set.of());
                    if (!keys.contains(ref.getKey())) {
                        problems.add(d.dir() + ": container " + c.getName() + " reads " + e.getName() + " from key " + ref.getKey()
                                + " of Secret " + ref.getName() + ", which has keys " + keys);
                    }
                }
                if (e.getValueFrom().getConfigMapKeyRef() != null) {
                    var ref = e.getValueFrom().getConfigMapKeyRef();
                    Set<String> keys = Deployable.find(d.objects(), ConfigMap.class, ref.getName()).map(cm -> cm.getData().keySet())
                            .orElse(Set.of());
                    if (!keys.contains(ref.getKey())) {
                        problems.add(d.dir() + ": container " + c.getName() + " reads " + e.getName() + " from key " + ref.getKey()
                                + " of ConfigMap " + ref.getName() + ", which has keys " + keys);
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Each autoscaler scales a Deployment deployed with it (on CPU only when the pods request CPU); each disruption
     * budget covers a Deployment's pods and leaves at least one of its replicas free to move.
     */
    static List<String> scaling(Deployable d) {
        List<String> problems = new ArrayList<>();
        for (HorizontalPodAutoscaler h : d.all(HorizontalPodAutoscaler.class)) {
            var target = h.getSpec().getScaleTargetRef();
            Optional<Deployment> dep = Deployable.find(d.objects(), Deployment.class, target.getName());
            if (!target.getKind().equals("Deployment") || dep.isEmpty()) {
                problems.add(d.where(h) + " scales " + target.getKind() + " " + target.getName() + ", which is not deployed with it");
                continue;
            }
            if (h.getSpec().getMinReplicas() > h.getSpec().getMaxReplicas()) {
                problems.add(d.where(h) + " has minReplicas over maxReplicas");
            }
            boolean cpuTarget = h.getSpec().getMetrics().stream().anyMatch(m -> m.getResource() != null && m.getResource().getName().equals("cpu"));
            boolean cpuRequests = dep.get().getSpec().getTemplate().getSpec().getContainers().stream()
                    .allMatch(c -> c.getResources().getRequests().containsKey("cpu"));
            if (cpuTarget && !cpuRequests) {
                problems.add(d.where(h) + " scales on CPU utilization, which needs a CPU request on every container");
            }
        }
        for (PodDisruptionBudget pdb : d.all(PodDisruptionBudget.class)) {
            Map<String, String> selector = pdb.getSpec().getSelector().getMatchLabels();
            List<Deployment> covered = d.all(Deployment.class).stream()
                    .filter(dep -> Deployable.labels(dep.getSpec().getTemplate().getMetadata()).entrySet().containsAll(selector.entrySet()))
                    .toList();
            if (covered.isEmpty()) {
                problems.add(d.where(pdb) + " selects " + selector + ", which no Deployment's pods carry");
            }
            for (Deployment dep : covered) {
                int replicas = d.all(HorizontalPodAutoscaler.class).stream().filter(h -> h.getSpec().getScaleTargetRef().getName()
                        .equals(dep.getMetadata().getName())).map(h -> h.getSpec().getMinReplicas()).findFirst()
                        .orElse(dep.getSpec().getReplicas());
                IntOrString min = pdb.getSpec().getMinAvailable();
                if (min != null && min.getIntVal() != null && min.getIntVal() >= replicas) {
                    problems.add(d.where(pdb) + " keeps " + min.getIntVal() + " of " + replicas + " replicas available: it would "
                            + "block every node drain");
                }
            }
        }
        return problems;
    }

    static Set<String> keys(Secret s) {
        Set<String> keys = new TreeSet<>();
        Optional.ofNullable(s.getData()).ifPresent(d -> keys.addAll(d.keySet()));
        Optional.ofNullable(s.getStringData()).ifPresent(d -> keys.addAll(d.keySet()));
        return keys;
    }
}
