package io.dharma.services.blueprint;

import java.util.HashMap;
import java.util.Map;

import io.dharma.service.DharmaService;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

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
        Map<String, String> config = new HashMap<>(overrides);
        config.putIfAbsent("server.port", "0");
        config.putIfAbsent("management.port", "0");
        config.putIfAbsent("server.host", "127.0.0.1");
        config.putIfAbsent("openapi.validate-responses", "true");
        return Main.start(DharmaService.builder("blueprint-service")
                                  .config(Config.just(ConfigSources.create(config), ConfigSources.classpath("application.yaml")))
                                  .shutdownHook(false));
    }
}
