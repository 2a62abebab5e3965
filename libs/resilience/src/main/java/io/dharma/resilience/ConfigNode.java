package io.dharma.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * A config node and its full key, for messages that say exactly which setting is wrong; reads values and refuses
 * unknown keys.
 *
 * @param config the node
 * @param key    its full key, e.g. {@code resilience.downstreams.cost-service}
 */
record ConfigNode(Config config, String key) {
    static ConfigNode of(Config config, String key) {
        return new ConfigNode(config, key);
    }

    ConfigNode child(String name) {
        return new ConfigNode(config.get(name), key + "." + name);
    }

    // nested records validate without knowing their parent: prefix their messages with the parent's key
    <T> T validate(Supplier<T> create) {
        try {
            return create.get();
        } catch (ResilienceException e) {
            throw new ResilienceConfigException(key.substring(0, key.lastIndexOf('.') + 1) + e.getMessage());
        }
    }

    ConfigNode knownKeys(Set<String> known) {
        if (!config.exists()) {
            return this;
        }
        List<String> sorted = known.stream().sorted().toList();
        if (config.isLeaf()) {
            throw new ResilienceConfigException(key + " must be a node with the keys " + String.join(", ", sorted));
        }
        for (Config child : config.asNodeList().orElse(List.of())) {
            if (!known.contains(child.name())) {
                throw new ResilienceConfigException(key + ": unknown key '" + child.name() + "' (known: "
                                                      + String.join(", ", sorted) + ")");
            }
        }
        return this;
    }

    Duration duration(String name, Duration defaultValue) {
        try {
            return config.get(name).as(Duration.class).orElse(defaultValue);
        } catch (ConfigException e) {
            throw invalid(name, "an ISO-8601 duration such as PT2S");
        }
    }

    int integer(String name, int defaultValue) {
        try {
            return config.get(name).asInt().orElse(defaultValue);
        } catch (ConfigException e) {
            throw invalid(name, "a whole number");
        }
    }

    boolean bool(String name, boolean defaultValue) {
        String value = config.get(name).asString().orElse(Boolean.toString(defaultValue)).trim();
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw invalid(name, "true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private ResilienceException invalid(String name, String expected) {
        return new ResilienceConfigException(key + "." + name + " must be " + expected + ", not '"
                                               + config.get(name).asString().orElse("") + "'");
    }

    static void positive(Duration duration, String key) {
        if (duration.isNegative() || duration.isZero()) {
            throw new ResilienceConfigException(key + " must be positive, not " + duration);
        }
    }

    static void atLeast(int value, int min, String key) {
        if (value < min) {
            throw new ResilienceConfigException(key + " must be at least " + min + ", not " + value);
        }
    }
}
