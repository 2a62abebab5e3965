package io.dharma.health;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Configuration of the {@code health} root key.
 *
 * @param path    where the probes are served ({@code <path>/live}, {@code /ready}, {@code /started})
 * @param timeout longest time one check may take before it counts as DOWN
 */
public record HealthConfig(String path, Duration timeout) {
    /** Default probe path. */
    public static final String DEFAULT_PATH = "/health";
    /** Default per-check timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    /**
     * Validates the values.
     */
    public HealthConfig {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("health.timeout must be positive, got " + timeout);
        }
    }

    /**
     * Read from the {@code health} node.
     *
     * @param health the node (may be missing)
     * @return configuration
     */
    public static HealthConfig create(Config health) {
        return new HealthConfig(health.get("path").asString().orElse(DEFAULT_PATH),
                                health.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT));
    }
}
