package io.dharma.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.yaml.snakeyaml.Yaml;

/**
 * What a service's manifests must agree with: its {@code application.yaml} (as overridden by the container's
 * environment, the way Helidon maps {@code SERVICE_DRAIN_dash_DELAY} to {@code service.drain-delay}) and the probe
 * routes that dharma-health registers.
 *
 * @param name        service name (directory under services/)
 * @param config      application.yaml as nested maps
 * @param probeRoutes sub-paths of {@code health.path} that dharma-health routes, e.g. {@code /ready}
 */
record ServiceFacts(String name, Map<String, Object> config, Set<String> probeRoutes) {
    /** Documented default of {@code management.port} when application.yaml has none: the API port + 1000. */
    static final int MANAGEMENT_PORT_OFFSET = 1000;
    private static final Pattern ROUTE = Pattern.compile("\\.get\\(\"(/[a-z]+)\"");

    /**
     * Reads a service of the repository.
     *
     * @param root repository root
     * @param name service directory name
     * @return its facts
     */
    static ServiceFacts read(Path root, String name) {
        try {
            Map<String, Object> config = new Yaml().load(
                    Files.readString(root.resolve("services").resolve(name).resolve("src/main/resources/application.yaml")));
            String probes = Files.readString(root.resolve("libs/health/src/main/java/io/dharma/health/ProbeService.java"));
            Matcher m = ROUTE.matcher(probes);
            Set<String> routes = m.results().map(r -> r.group(1)).collect(Collectors.toUnmodifiableSet());
            return new ServiceFacts(name, config, routes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The environment variable Helidon maps to a key: {@code service.drain-delay} ← {@code SERVICE_DRAIN_dash_DELAY}.
     *
     * @param key config key
     * @return variable name
     */
    static String envName(String key) {
        return Arrays.stream(key.split("\\."))
                .map(part -> Arrays.stream(part.split("-")).map(s -> s.toUpperCase()).collect(Collectors.joining("_dash_")))
                .collect(Collectors.joining("_"));
    }

    /**
     * A setting as the container sees it: its environment first, then application.yaml.
     *
     * @param key config key
     * @param env the container's environment (env and envFrom)
     * @return the value, if set anywhere
     */
    Optional<String> setting(String key, Map<String, String> env) {
        String override = env.get(envName(key));
        if (override != null) {
            return Optional.of(override);
        }
        Object node = config;
        for (String part : key.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            node = map.get(part);
        }
        return node == null || node instanceof Map<?, ?> ? Optional.empty() : Optional.of(String.valueOf(node));
    }

    int apiPort(Map<String, String> env) {
        return Integer.parseInt(setting("server.port", env).orElse("8080"));
    }

    int managementPort(Map<String, String> env) {
        return setting("management.port", env).map(Integer::parseInt).orElse(apiPort(env) + MANAGEMENT_PORT_OFFSET);
    }

    String healthPath(Map<String, String> env) {
        return setting("health.path", env).orElse("/health");
    }

    String metricsPath(Map<String, String> env) {
        return setting("metrics.path", env).orElse("/metrics");
    }

    String secretsDirectory(Map<String, String> env) {
        return setting("secrets.files.directory", env).orElse("/var/run/secrets/dharma");
    }

    /** service.drain-delay + service.grace-period: the time SIGTERM → exit may take, before the JVM's own exit. */
    Duration shutdown(Map<String, String> env) {
        return Duration.parse(setting("service.drain-delay", env).orElse("PT5S"))
                .plus(Duration.parse(setting("service.grace-period", env).orElse("PT20S")));
    }
}
