package io.dharma.security;

import java.time.Duration;
import java.util.List;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * Small readers shared by the config records: a key that may hold one value or a list, durations with validation.
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
        if (value.isNegative()) {
            throw new ConfigException(node.key() + " must not be negative, got " + value);
        }
        return value;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new ConfigException(message);
        }
    }
}
