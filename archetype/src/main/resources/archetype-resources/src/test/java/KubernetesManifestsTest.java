package ${package};

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.dharma.testing.RequiresServices;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static io.dharma.testing.RequiresServices.Service.KUBECTL;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;

/**
 * Every overlay under {@code k8s/} renders with {@code kubectl kustomize} and agrees with application.yaml: probes on
 * the health routes of the management port, Service / PodDisruptionBudget / HorizontalPodAutoscaler reach the
 * Deployment, the termination grace covers drain delay + grace period, non-root with a read-only root, limits set.
 * The overlay tests are skipped with one line where kubectl is not installed (failed with
 * -Ddharma.require.services=true). The API reference page is on in dev and off in prod. The Dockerfile exposes the
 * same ports and runs as non-root.
 * Database and Redis passwords come from the secret store (mounted Secret files), not from the environment.
 */
class KubernetesManifestsTest {
    private static final String NAME = "${artifactId}";

    @Test
    @RequiresServices(KUBECTL)
    void devOverlayAgreesWithTheService() throws Exception {
        check("k8s/overlays/dev");
    }

    @Test
    @RequiresServices(KUBECTL)
    void prodOverlayAgreesWithTheService() throws Exception {
        check("k8s/overlays/prod");
    }

    @Test
    @RequiresServices(KUBECTL)
    void theApiReferencePageIsOnInDevAndOffInProd() throws Exception {
        assertThat(configMap(render("k8s/overlays/dev")).get("OPENAPI_UI_ENABLED"), is("true"));
        assertThat(configMap(render("k8s/overlays/prod")).get("OPENAPI_UI_ENABLED"), is("false"));
    }

    @Test
    void credentialsComeFromTheSecretStore() throws Exception {
        Map<String, Object> config = new Yaml().load(Files.readString(Path.of("src/main/resources/application.yaml")));
        // database and Redis passwords are secrets of the store (rotated without a restart), not plain settings
        assertThat(setting(config, "db.password-secret"), is(Optional.of("db-password")));
        assertThat(setting(config, "redis.password-secret"), is(Optional.of("redis-password")));
        assertThat(setting(config, "db.password"), is(Optional.empty()));
        assertThat(setting(config, "secrets.files.directory"), is(Optional.of("/var/run/secrets/dharma")));
        // the pod gets them as files of the mounted Secret, never as environment variables (which cannot change)
        String deployment = Files.readString(Path.of("k8s/base/deployment.yaml"));
        assertThat(deployment.contains("DB_PASSWORD"), is(false));
        assertThat(deployment.contains("mountPath: /var/run/secrets/dharma"), is(true));
    }

    @Test
    void dockerfileMatchesTheService() throws Exception {
        Map<String, Object> config = new Yaml().load(Files.readString(Path.of("src/main/resources/application.yaml")));
        int port = Integer.parseInt(setting(config, "server.port").orElse("8080"));
        int management = setting(config, "management.port").map(Integer::parseInt).orElse(port + 1000);
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        assertThat(lines.contains("EXPOSE " + port + " " + management), is(true));
        assertThat(lines.contains("USER 65532:65532"), is(true));
        assertThat(lines.stream().anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("-XX:AOTCache=")), is(true));
        assertThat(Files.exists(Path.of("docker/AotTraining.java")) && Files.exists(Path.of("docker/jre.sh")), is(true));
    }

    private static void check(String overlay) throws Exception {
        List<Map<String, Object>> objects = render(overlay);
        Map<String, Object> config = new Yaml().load(Files.readString(Path.of("src/main/resources/application.yaml")));
        int port = Integer.parseInt(setting(config, "server.port").orElse("8080"));
        int management = setting(config, "management.port").map(Integer::parseInt).orElse(port + 1000);
        String health = setting(config, "health.path").orElse("/health");

        Map<String, Object> deployment = find(objects, "Deployment");
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        Map<String, Object> container = list(pod, "containers").getFirst();
        Map<String, Object> ports = new HashMap<>();
        list(container, "ports").forEach(p -> ports.put((String) p.get("name"), p.get("containerPort")));
        assertThat(ports.get("http"), is(port));
        assertThat(ports.get("management"), is(management));
        for (String probe : List.of("startupProbe:/started", "readinessProbe:/ready", "livenessProbe:/live")) {
            String[] kind = probe.split(":");
            Map<String, Object> get = at(container, kind[0], "httpGet");
            assertThat(kind[0], get.get("path"), is(health + kind[1]));
            assertThat(kind[0], get.get("port"), is("management"));
        }

        Map<String, Object> labels = at(deployment, "spec", "template", "metadata", "labels");
        assertThat(labels.entrySet().containsAll(at(find(objects, "Service"), "spec", "selector").entrySet()), is(true));
        assertThat(labels.entrySet().containsAll(at(find(objects, "PodDisruptionBudget"), "spec", "selector", "matchLabels")
                .entrySet()), is(true));
        assertThat(at(find(objects, "HorizontalPodAutoscaler"), "spec", "scaleTargetRef").get("name"), is(NAME));

        long shutdown = Duration.parse(setting(config, "service.drain-delay").orElse("PT5S"))
                .plus(Duration.parse(setting(config, "service.grace-period").orElse("PT20S"))).toSeconds();
        assertThat(((Number) pod.get("terminationGracePeriodSeconds")).longValue(), greaterThanOrEqualTo(shutdown + 5));
        assertThat(at(pod, "securityContext").get("runAsNonRoot"), is(true));
        assertThat(at(container, "securityContext").get("readOnlyRootFilesystem"), is(true));
        assertThat(at(container, "resources", "limits"), hasKey("memory"));
        assertThat(at(container, "resources", "limits"), hasKey("cpu"));
    }

    private static List<Map<String, Object>> render(String overlay) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("kubectl", "kustomize", overlay).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        assertThat(out, process.waitFor(2, TimeUnit.MINUTES) && process.exitValue() == 0, is(true));
        List<Map<String, Object>> objects = new ArrayList<>();
        new Yaml().loadAll(out).forEach(o -> objects.add(cast(o)));
        return objects;
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && NAME.equals(at(o, "metadata").get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + NAME + " rendered"));
    }

    private static Map<String, Object> configMap(List<Map<String, Object>> objects) {
        // kustomize appends a hash of the content to a generated ConfigMap's name
        return objects.stream()
                .filter(o -> "ConfigMap".equals(o.get("kind"))
                        && String.valueOf(at(o, "metadata").get("name")).startsWith(NAME + "-config"))
                .findFirst().map(o -> at(o, "data"))
                .orElseThrow(() -> new AssertionError("no ConfigMap " + NAME + "-config rendered"));
    }

    private static Optional<String> setting(Map<String, Object> config, String key) {
        Object node = config;
        for (String part : key.split("\\.")) {
            node = node instanceof Map<?, ?> map ? map.get(part) : null;
        }
        return Optional.ofNullable(node).map(String::valueOf);
    }

    private static Map<String, Object> at(Map<String, Object> object, String... path) {
        Map<String, Object> node = object;
        for (String part : path) {
            assertThat(String.join(".", path), node, hasKey(part));
            node = cast(node.get(part));
        }
        return node;
    }

    private static List<Map<String, Object>> list(Map<String, Object> object, String key) {
        List<Map<String, Object>> items = new ArrayList<>();
        ((List<?>) object.get(key)).forEach(o -> items.add(cast(o)));
        return items;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
