package io.dharma.security;

import java.time.Duration;
import java.util.List;

import io.helidon.config.Config;
import io.helidon.http.PathMatchers;

/**
 * Small readers shared by the config records: a key that may hold one value or a list, durations with validation,
 * and the one way this library reports a bad value ({@link SecurityConfigException}).
 */
final class ConfigValues {
    private ConfigValues() {
    }

    /**
     * A list of strings from a node holding a list ({@code [a, b]}) or a single value ({@code a}); blank entries are
     * dropped.
     */
    static List<String> strings(Config node, List<String> defaults) {
        if (!node.exists()) {
            return defaults;
        }
        List<String> values = node.isLeaf()
                ? node.asString().map(List::of).orElse(List.of())
                : node.asList(String.class).orElse(List.of());
        return values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
    }

    static Duration duration(Config node, Duration defaultValue) {
        Duration value = node.as(Duration.class).orElse(defaultValue);
        require(!value.isNegative(), node.key() + " must not be negative, got " + value);
        return value;
    }

    static String required(Config node) {
        return node.asString().orElseThrow(() -> new SecurityConfigException(node.key() + " is required"));
    }

    /** Fails here, at start-up, for a path pattern Helidon cannot parse. */
    static void pathPattern(String key, String path) {
        require(path.startsWith("/"), key + ": path must start with '/': " + path);
        try {
            PathMatchers.create(path);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // Helidon 4.1.2 throws IllegalStateException for an unclosed {parameter}
            throw new SecurityConfigException(key + ": '" + path + "' is not a valid path pattern: " + e.getMessage(), e);
        }
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new SecurityConfigException(message);
        }
    }
}
