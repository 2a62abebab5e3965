package io.dharma.k8s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The invariants between a service's rendered manifests, the service itself and the docs. Each method returns the
 * violations it found, as sentences that name the object; an empty list means the manifests are consistent.
 *
 * @param manifests the rendered objects
 * @param docs      text of docs/deploy.md: a Secret key that is not rendered must be documented there
 */
record ManifestChecks(Manifests manifests, String docs) {
    /** Seconds between the end of the grace period and the kill, for the JVM to exit (docs/operations.md). */
    static final int EXIT_MARGIN_SECONDS = 5;

    /**
     * Every check for the Deployment named like the service.
     *
     * @param facts the service
     * @return violations
     */
    List<String> check(ServiceFacts facts) {
        Optional<Deployment> found = manifests.named(Deployment.class, facts.name());
        if (found.isEmpty()) {
            return List.of(facts.name() + ": no Deployment rendered");
        }
        Deployment deployment = found.get();
        List<String> out = new ArrayList<>();
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().getFirst();
        Map<String, String> env = environment(container, out);
        probes(facts, container, env, out);
        targets(deployment, facts, env, out);
        shutdown(facts, pod, container, env, out);
        security(facts.name(), pod, container, out);
        resources(facts.name(), container, out);
        references(facts, pod, container, env, out);
        return out;
    }

    /**
     * The environment of a Deployment's container.
     *
     * @param deployment the Deployment's name
     * @return variables (a value from a Secret reads as "<secret>")
     */
    Map<String, String> environment(String deployment) {
        Container container = manifests.named(Deployment.class, deployment).orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().getFirst();
        return environment(container, new ArrayList<>());
    }

    /** The container's environment: envFrom ConfigMaps, then env values (a value from a Secret reads as "<secret>"). */
    private Map<String, String> environment(Container container, List<String> out) {
        Map<String, String> env = new HashMap<>();
        container.getEnvFrom().forEach(from -> {
            if (from.getConfigMapRef() != null) {
                String name = from.getConfigMapRef().getName();
                manifests.named(ConfigMap.class, name).ifPresentOrElse(cm -> env.putAll(cm.getData()), () -> {
                    if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                        out.add(container.getName() + ": envFrom ConfigMap " + name + " is not rendered");
                    }
                });
            }
        });
        for (EnvVar var : container.getEnv()) {
            env.put(var.getName(), var.getValue() != null ? var.getValue() : "<secret>");
        }
        return env;
    }

    private void probes(ServiceFacts facts, Container container, Map<String, String> env, List<String> out) {
        String health = facts.healthPath(env);
        probe(facts, container, "startupProbe", container.getStartupProbe(), health + "/started", env, out);
        probe(facts, container, "readinessProbe", container.getReadinessProbe(), health + "/ready", env, out);
        probe(facts, container, "livenessProbe", container.getLivenessProbe(), health + "/live", env, out);
    }

    private void probe(ServiceFacts facts, Container container, String kind, Probe probe, String expected,
                       Map<String, String> env, List<String> out) {
        String name = facts.name();
        if (probe == null || probe.getHttpGet() == null) {
            out.add(name + ": " + kind + " is not an httpGet probe");
            return;
        }
        String path = probe.getHttpGet().getPath();
        if (!expected.equals(path) || !facts.probeRoutes().contains(path.substring(facts.healthPath(env).length()))) {
            out.add(name + ": " + kind + " path " + path + " is not the service's route " + expected);
        }
        int port = containerPort(container, probe.getHttpGet().getPort());
        if (port != facts.managementPort(env)) {
            out.add(name + ": " + kind + " port " + probe.getHttpGet().getPort().getValue()
                    + " is not the management port " + facts.managementPort(env));
        }
    }

    /** Service, PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy and ServiceMonitor reach the pods. */
    private void targets(Deployment deployment, ServiceFacts facts, Map<String, String> env, List<String> out) {
        String name = facts.name();
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        if (!Selectors.matches(deployment.getSpec().getSelector(), labels)) {
            out.add(name + ": Deployment selector does not match its pod labels");
        }
        Targets targets = new Targets(manifests, name, labels);
        targets.service(container, facts.apiPort(env), facts.managementPort(env), this::containerPort, out);
        targets.disruptionBudget(out);
        targets.autoscaler(deployment, out);
        targets.networkPolicy(out);
        targets.serviceMonitor(facts.metricsPath(env), out);
    }

    private void shutdown(ServiceFacts facts, PodSpec pod, Container container, Map<String, String> env,
                          List<String> out) {
        long preStop = 0;
        if (container.getLifecycle() != null && container.getLifecycle().getPreStop() != null) {
            var hook = container.getLifecycle().getPreStop();
            if (hook.getSleep() != null) {
                preStop = hook.getSleep().getSeconds();
            } else {
                out.add(facts.name() + ": preStop must be a sleep action (the image has no shell)");
            }
        }
        long needed = preStop + facts.shutdown(env).toSeconds() + EXIT_MARGIN_SECONDS;
        Long grace = pod.getTerminationGracePeriodSeconds();
        if (grace == null || grace < needed) {
            out.add(facts.name() + ": terminationGracePeriodSeconds " + grace + " < preStop " + preStop
                    + " s + drain-delay + grace-period " + facts.shutdown(env).toSeconds() + " s + " + EXIT_MARGIN_SECONDS + " s");
        }
    }

    private void security(String name, PodSpec pod, Container container, List<String> out) {
        var podContext = pod.getSecurityContext();
        var context = container.getSecurityContext();
        boolean nonRoot = podContext != null && Boolean.TRUE.equals(podContext.getRunAsNonRoot())
                || context != null && Boolean.TRUE.equals(context.getRunAsNonRoot());
        Long uid = context != null && context.getRunAsUser() != null ? context.getRunAsUser()
                : podContext != null ? podContext.getRunAsUser() : null;
        if (!nonRoot || uid == null || uid == 0) {
            out.add(name + ": must run as non-root with a numeric UID (runAsNonRoot, runAsUser != 0)");
        }
        if (context == null || !Boolean.TRUE.equals(context.getReadOnlyRootFilesystem())) {
            out.add(name + ": root filesystem must be read-only");
        }
        if (context == null || !Boolean.FALSE.equals(context.getAllowPrivilegeEscalation())) {
            out.add(name + ": allowPrivilegeEscalation must be false");
        }
        if (context == null || context.getCapabilities() == null || !context.getCapabilities().getDrop().contains("ALL")) {
            out.add(name + ": capabilities must drop ALL");
        }
        String seccomp = context != null && context.getSeccompProfile() != null ? context.getSeccompProfile().getType()
                : podContext != null && podContext.getSeccompProfile() != null ? podContext.getSeccompProfile().getType() : null;
        if (!"RuntimeDefault".equals(seccomp)) {
            out.add(name + ": seccompProfile must be RuntimeDefault");
        }
        boolean token = !Boolean.FALSE.equals(pod.getAutomountServiceAccountToken())
                && manifests.named(ServiceAccount.class, String.valueOf(pod.getServiceAccountName()))
                .map(sa -> !Boolean.FALSE.equals(sa.getAutomountServiceAccountToken())).orElse(true);
        if (token) {
            out.add(name + ": a service-account token is mounted but the service never calls the Kubernetes API");
        }
        boolean tmp = container.getVolumeMounts().stream().anyMatch(m -> "/tmp".equals(m.getMountPath())
                && pod.getVolumes().stream().anyMatch(v -> v.getName().equals(m.getName()) && v.getEmptyDir() != null));
        if (!tmp) {
            out.add(name + ": /tmp must be a writable emptyDir (the JVM's temporary files on a read-only root)");
        }
    }

    private void resources(String name, Container container, List<String> out) {
        var resources = container.getResources();
        for (String resource : List.of("cpu", "memory")) {
            Quantity request = resources == null ? null : resources.getRequests().get(resource);
            Quantity limit = resources == null ? null : resources.getLimits().get(resource);
            if (request == null || limit == null) {
                out.add(name + ": " + resource + " request and limit must both be set");
            } else if (request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
                out.add(name + ": " + resource + " request " + request + " exceeds its limit " + limit);
            }
        }
    }

    /** Every ConfigMap and Secret a pod reads exists with the key, or (Secrets, created outside) is documented. */
    private void references(ServiceFacts facts, PodSpec pod, Container container, Map<String, String> env,
                            List<String> out) {
        String name = facts.name();
        for (EnvVar var : container.getEnv()) {
            var from = var.getValueFrom();
            if (from != null && from.getSecretKeyRef() != null) {
                secretKey(name, from.getSecretKeyRef().getName(), from.getSecretKeyRef().getKey(), out);
            }
            if (from != null && from.getConfigMapKeyRef() != null) {
                String cm = from.getConfigMapKeyRef().getName();
                String key = from.getConfigMapKeyRef().getKey();
                if (manifests.named(ConfigMap.class, cm).map(c -> !c.getData().containsKey(key)).orElse(true)) {
                    out.add(name + ": ConfigMap " + cm + " has no key " + key);
                }
            }
        }
        boolean secretsMounted = false;
        for (Volume volume : pod.getVolumes()) {
            if (volume.getSecret() != null) {
                secretKey(name, volume.getSecret().getSecretName(), null, out);
                secretsMounted |= container.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(volume.getName())
                        && facts.secretsDirectory(env).equals(m.getMountPath()));
            }
            if (volume.getConfigMap() != null && manifests.named(ConfigMap.class, volume.getConfigMap().getName()).isEmpty()) {
                out.add(name + ": volume ConfigMap " + volume.getConfigMap().getName() + " is not rendered");
            }
        }
        if (!secretsMounted) {
            out.add(name + ": no Secret mounted at secrets.files.directory " + facts.secretsDirectory(env));
        }
        if (manifests.named(ServiceAccount.class, Objects.requireNonNullElse(pod.getServiceAccountName(), "")).isEmpty()) {
            out.add(name + ": ServiceAccount " + pod.getServiceAccountName() + " is not rendered");
        }
    }

    private void secretKey(String name, String secret, String key, List<String> out) {
        Optional<Secret> rendered = manifests.named(Secret.class, secret);
        boolean ok = rendered.isPresent()
                ? key == null || rendered.get().getData() != null && rendered.get().getData().containsKey(key)
                : docs.contains("`" + secret + "`") && (key == null || docs.contains("`" + key + "`"));
        if (!ok) {
            out.add(name + ": Secret " + secret + (key == null ? "" : " key " + key)
                    + (rendered.isPresent() ? " is not rendered" : " is neither rendered nor documented in docs/deploy.md"));
        }
    }

    /** The number of a container port given by name or number; -1 if the container has no such port. */
    int containerPort(Container container, IntOrString port) {
        if (port == null) {
            return -1;
        }
        if (port.getIntVal() != null) {
            return container.getPorts().stream().anyMatch(p -> p.getContainerPort().equals(port.getIntVal())) ? port.getIntVal() : -1;
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort).findFirst().orElse(-1);
    }

    static boolean exposes(Service service, String portName) {
        return service.getSpec().getPorts().stream().anyMatch(p -> portName.equals(p.getName()));
    }
}
