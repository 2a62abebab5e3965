package io.dharma.health;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Configuration of the {@code health} root key.
 *
 * @param path     where the probes are served ({@code <path>/live}, {@code /ready}, {@code /started})
 * @param timeout  longest time one check may take before it counts as DOWN
 * @param cacheTtl how long one evaluation of a probe's checks is answered again; at most one evaluation per probe
 *                 runs per TTL whatever the request rate, and concurrent callers share it
 * @param details  whether the probe body lists each check with its details (which may name hosts, vendors or missing
 *                 secrets); false: only {@code {"status":"UP"}} or {@code {"status":"DOWN"}}. Failures are logged
 *                 either way
 */
public record HealthConfig(String path, Duration timeout, Duration cacheTtl, boolean details) {
    /** Default probe path. */
    public static final String DEFAULT_PATH = "/health";
    /** Default per-check timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** Default lifetime of a probe evaluation. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(1);
    /** Default of {@code health.details}: probes are served on the management port, not to the public. */
    public static final boolean DEFAULT_DETAILS = true;

    /**
     * Validates the values.
     */
    public HealthConfig {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new HealthConfigException("health.timeout must be positive, got " + timeout);
        }
        if (cacheTtl.isNegative() || cacheTtl.isZero()) {
            throw new HealthConfigException("health.cache-ttl must be positive, got " + cacheTtl);
        }
    }

    /**
     * A configuration with the default {@code cache-ttl} and {@code details}.
     *
     * @param path    probe path
     * @param timeout per-check timeout
     */
    public HealthConfig(String path, Duration timeout) {
        this(path, timeout, DEFAULT_CACHE_TTL, DEFAULT_DETAILS);
    }

    /**
     * Read from the {@code health} node.
     *
     * @param health the node (may be missing)
     * @return configuration
     */
    public static HealthConfig create(Config health) {
        return new HealthConfig(health.get("path").asString().orElse(DEFAULT_PATH),
                                health.get("timeout").as(Duration.class).orElse(DEFAULT_TIMEOUT),
                                health.get("cache-ttl").as(Duration.class).orElse(DEFAULT_CACHE_TTL),
                                health.get("details").asBoolean().orElse(DEFAULT_DETAILS));
    }
}
