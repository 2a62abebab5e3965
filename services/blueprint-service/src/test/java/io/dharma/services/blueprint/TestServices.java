package io.dharma.services.blueprint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.dharma.service.DharmaService;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;

/**
 * Starts blueprint-service in the test JVM on a free loopback port: the shipped application.yaml under the given
 * overrides, no shutdown hook (tests stop it), and every response checked against the OpenAPI document
 * ({@code openapi.validate-responses}: a response that breaks it becomes a 500 naming the violation).
 */
final class TestServices {
    private TestServices() {
    }

    /**
     * Start with HS256 tokens signed by a key and an address limit no test run reaches (limits themselves are tested
     * in RateLimitTest).
     */
    static DharmaService start(Map<String, String> overrides, String signingKey) {
        Map<String, String> config = new HashMap<>(overrides);
        config.put("security.jwt.hmac-secret", signingKey);
        config.put("rate-limit.policies.ip.capacity", "1000000");
        return start(config);
    }

    static DharmaService start(Map<String, String> overrides) {
        return start(overrides, List.of());
    }

    /**
     * Start with flat overrides and then YAML resources of the test class path over application.yaml (lists, which
     * flat keys cannot replace).
     */
    static DharmaService start(Map<String, String> overrides, List<String> yamlResources) {
        List<Supplier<? extends ConfigSource>> sources = new ArrayList<>();
        Map<String, String> config = new HashMap<>(overrides);
        config.putIfAbsent("server.port", "0");
        config.putIfAbsent("management.port", "0");
        config.putIfAbsent("server.host", "127.0.0.1");
        config.putIfAbsent("openapi.validate-responses", "true");
        sources.add(ConfigSources.create(config));
        yamlResources.forEach(resource -> sources.add(ConfigSources.classpath(resource)));
        sources.add(ConfigSources.classpath("application.yaml"));
        return Main.start(DharmaService.builder("blueprint-service")
                                  .config(Config.builder()
                                                  .disableEnvironmentVariablesSource()
                                                  .disableSystemPropertiesSource()
                                                  .sources(sources)
                                                  .build())
                                  .shutdownHook(false));
    }
}
