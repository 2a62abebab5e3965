package io.dharma.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Assumptions;

/**
 * The objects of one rendered kustomization, each loaded into its typed fabric8 model. A kind without a model, and a
 * field the model does not know (a typo such as {@code replica:}), fail the load: Kubernetes would reject or ignore it.
 *
 * @param objects every object, in render order
 */
record Manifests(List<HasMetadata> objects) {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.ofEntries(
            Map.entry("v1/Namespace", Namespace.class),
            Map.entry("v1/ServiceAccount", ServiceAccount.class),
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor", ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule", PrometheusRule.class));

    /**
     * Renders a kustomization with {@code kubectl kustomize}. Without kubectl the calling test is skipped (aborted),
     * unless the system property {@code dharma.require.services} is {@code true}, in which case it fails.
     *
     * @param dir kustomization directory
     * @return the rendered YAML
     */
    static String render(Path dir) {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            String message = "kubectl is not on the PATH: Kubernetes manifests not checked (install kubectl; "
                    + "-Ddharma.require.services=true makes this a failure)";
            if (Boolean.getBoolean("dharma.require.services")) {
                throw new AssertionError(message, e);
            }
            Assumptions.abort(message);
            throw new IllegalStateException(message);
        }
        try {
            byte[] out = process.getInputStream().readAllBytes();
            String err = new String(process.getErrorStream().readAllBytes());
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
            }
            return new String(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Renders and loads a kustomization.
     *
     * @param dir kustomization directory
     * @return its objects
     */
    static Manifests of(Path dir) {
        return parse(render(dir));
    }

    /**
     * Loads multi-document YAML into typed objects.
     *
     * @param yaml rendered manifests
     * @return the objects
     * @throws IllegalArgumentException naming the object and field that no model knows
     */
    static Manifests parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc == null || doc.isEmpty()) {
                    continue;
                }
                String key = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
                Class<? extends HasMetadata> type = KINDS.get(key);
                if (type == null) {
                    throw new IllegalArgumentException("no typed model for " + key + " (" + doc.path("metadata").path("name") + ")");
                }
                HasMetadata object = YAML.treeToValue(doc, type);
                List<String> unknown = new ArrayList<>();
                unknownFields(object, key + " " + object.getMetadata().getName(), unknown);
                if (!unknown.isEmpty()) {
                    throw new IllegalArgumentException("unknown fields: " + unknown);
                }
                objects.add(object);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid Kubernetes YAML: " + e.getMessage(), e);
        }
        return new Manifests(List.copyOf(objects));
    }

    /**
     * Every object of a kind.
     *
     * @param type model class
     * @param <T>  kind
     * @return the objects of that kind
     */
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * The object of a kind with a name.
     *
     * @param type model class
     * @param name metadata.name
     * @param <T>  kind
     * @return the object, if rendered
     */
    <T extends HasMetadata> Optional<T> named(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /**
     * The models keep fields they do not know in {@code additionalProperties} instead of failing: walk the object and
     * report every such field with its path.
     */
    private static void unknownFields(Object value, String path, List<String> out) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", out);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, out));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            String name = getter.getName();
            if (getter.getParameterCount() != 0 || !name.startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (invoke(getter, value) instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    out.add(path + ": " + extra.keySet());
                }
            } else if (!getter.isAnnotationPresent(JsonIgnore.class)) {
                unknownFields(invoke(getter, value), path + "." + Character.toLowerCase(name.charAt(3)) + name.substring(4), out);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }
}
