package io.dharma.k8s;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * The objects that must reach a service's pods: its Service, PodDisruptionBudget, HorizontalPodAutoscaler,
 * NetworkPolicy and (when the monitoring component is rendered) a ServiceMonitor.
 *
 * @param manifests rendered objects
 * @param name      service (and Deployment) name
 * @param labels    labels of the Deployment's pods
 */
record Targets(Manifests manifests, String name, Map<String, String> labels) {
    void service(Container container, int apiPort, int managementPort,
                 BiFunction<Container, IntOrString, Integer> resolve, List<String> out) {
        Service service = manifests.named(Service.class, name).orElse(null);
        if (service == null) {
            out.add(name + ": no Service rendered");
            return;
        }
        if (!Selectors.matches(service.getSpec().getSelector(), labels)) {
            out.add(name + ": Service selector " + service.getSpec().getSelector() + " does not match the pod labels");
        }
        for (ServicePort port : service.getSpec().getPorts()) {
            IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
            int resolved = resolve.apply(container, target);
            if (resolved < 0) {
                out.add(name + ": Service port " + port.getName() + " targets " + target.getValue() + ", no container port");
            }
            int expected = "management".equals(port.getName()) ? managementPort : "http".equals(port.getName()) ? apiPort : resolved;
            if (resolved >= 0 && resolved != expected) {
                out.add(name + ": Service port " + port.getName() + " reaches container port " + resolved + ", not " + expected);
            }
        }
        if (!ManifestChecks.exposes(service, "http") || !ManifestChecks.exposes(service, "management")) {
            out.add(name + ": Service must expose ports named http and management");
        }
    }

    void disruptionBudget(List<String> out) {
        boolean covered = manifests.all(PodDisruptionBudget.class).stream()
                .anyMatch(pdb -> Selectors.matches(pdb.getSpec().getSelector(), labels));
        if (!covered) {
            out.add(name + ": no PodDisruptionBudget selects the pods");
        }
    }

    void autoscaler(Deployment deployment, List<String> out) {
        List<HorizontalPodAutoscaler> hpas = manifests.all(HorizontalPodAutoscaler.class).stream()
                .filter(h -> "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
                        && "apps/v1".equals(h.getSpec().getScaleTargetRef().getApiVersion())
                        && name.equals(h.getSpec().getScaleTargetRef().getName()))
                .toList();
        if (hpas.isEmpty()) {
            out.add(name + ": no HorizontalPodAutoscaler targets Deployment " + name);
        }
        for (HorizontalPodAutoscaler hpa : hpas) {
            Integer min = hpa.getSpec().getMinReplicas();
            if (min == null || min < 1 || min > hpa.getSpec().getMaxReplicas()) {
                out.add(name + ": HorizontalPodAutoscaler needs 1 <= minReplicas <= maxReplicas");
            }
            Integer replicas = deployment.getSpec().getReplicas();
            if (min != null && replicas != null && replicas < min) {
                out.add(name + ": Deployment replicas " + replicas + " < HorizontalPodAutoscaler minReplicas " + min);
            }
        }
    }

    void networkPolicy(List<String> out) {
        boolean covered = manifests.all(NetworkPolicy.class).stream()
                .anyMatch(np -> Selectors.matches(np.getSpec().getPodSelector(), labels)
                        && np.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress")));
        if (!covered) {
            out.add(name + ": no NetworkPolicy with Ingress and Egress rules selects the pods");
        }
    }

    void serviceMonitor(String metricsPath, List<String> out) {
        List<ServiceMonitor> monitors = manifests.all(ServiceMonitor.class);
        Service service = manifests.named(Service.class, name).orElse(null);
        if (monitors.isEmpty() || service == null) {
            return;
        }
        boolean scraped = false;
        for (ServiceMonitor monitor : monitors) {
            if (!Selectors.matches(monitor.getSpec().getSelector(), service.getMetadata().getLabels())) {
                continue;
            }
            for (Endpoint endpoint : monitor.getSpec().getEndpoints()) {
                if (!"management".equals(endpoint.getPort()) || !ManifestChecks.exposes(service, endpoint.getPort())) {
                    out.add(name + ": ServiceMonitor " + monitor.getMetadata().getName() + " scrapes port "
                            + endpoint.getPort() + ", not the Service's management port");
                } else if (!metricsPath.equals(endpoint.getPath())) {
                    out.add(name + ": ServiceMonitor path " + endpoint.getPath() + " is not metrics.path " + metricsPath);
                } else {
                    scraped = true;
                }
            }
        }
        if (!scraped) {
            out.add(name + ": no ServiceMonitor scrapes the Service");
        }
    }
}
