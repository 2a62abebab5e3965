package io.dharma.resilience;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

import io.helidon.config.Config;

/**
 * The {@code resilience.concurrency} node: the adaptive limit on requests a service handles at once (see
 * {@link ConcurrencyLimiter}).
 * <pre>
 * resilience:
 *   concurrency:
 *     enabled: true            # false: no limit
 *     algorithm: vegas         # vegas: adapts to measured latency; fixed: always initial-limit
 *     initial-limit: 100       # requests in flight at first
 *     min-limit: 4             # the limit never goes below this (and probes the unloaded latency with it)
 *     max-limit: 500           # ... nor above this
 *     window: PT0.1S           # latency is averaged over windows of at least this long (and 10 requests)
 *     probe-interval: PT10S    # while the limit is always reached, re-measure the unloaded latency this often
 *     tolerated-delay: PT0.01S # latency up to this much above the unloaded latency never shrinks the limit
 *     retry-after: PT1S        # Retry-After of the 503 OVERLOADED answer (whole seconds, rounded up)
 * </pre>
 *
 * @param enabled       whether requests are limited at all
 * @param algorithm     how the limit is found
 * @param initialLimit  the limit at start-up ({@link Algorithm#FIXED}: always)
 * @param minLimit      the smallest limit, also the limit while the unloaded latency is probed
 * @param maxLimit      the largest limit
 * @param window        shortest window over which latency is averaged
 * @param probeInterval how often the unloaded latency is re-measured while the limit is always reached
 * @param toleratedDelay average latency up to this much above the unloaded latency counts as no queueing
 * @param retryAfter    {@code Retry-After} of the 503 answer to a shed request
 */
public record ConcurrencyConfig(boolean enabled,
                                Algorithm algorithm,
                                int initialLimit,
                                int minLimit,
                                int maxLimit,
                                Duration window,
                                Duration probeInterval,
                                Duration toleratedDelay,
                                Duration retryAfter) {
    /**
     * Default initial limit: 100 requests in flight, so a burst at start-up is not shed; queueing brings it down
     * within a few windows.
     */
    public static final int DEFAULT_INITIAL_LIMIT = 100;
    /** Default smallest limit: 4. */
    public static final int DEFAULT_MIN_LIMIT = 4;
    /** Default largest limit: 500. */
    public static final int DEFAULT_MAX_LIMIT = 500;
    /** Default latency window: 100 ms. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(100);
    /** Default probe interval: 10 s. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(10);
    /** Default tolerated delay: 10 ms. */
    public static final Duration DEFAULT_TOLERATED_DELAY = Duration.ofMillis(10);
    /** Default {@code Retry-After}: 1 s. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    /** Every setting at its default: enabled, Vegas. */
    public static final ConcurrencyConfig DEFAULT = new ConcurrencyConfig(true, Algorithm.VEGAS, DEFAULT_INITIAL_LIMIT,
                                                                          DEFAULT_MIN_LIMIT, DEFAULT_MAX_LIMIT,
                                                                          DEFAULT_WINDOW, DEFAULT_PROBE_INTERVAL,
                                                                          DEFAULT_TOLERATED_DELAY, DEFAULT_RETRY_AFTER);

    private static final String KEY = "resilience.concurrency";
    private static final Set<String> KEYS = Set.of("enabled", "algorithm", "initial-limit", "min-limit", "max-limit",
                                                   "window", "probe-interval", "tolerated-delay",
                                                   "retry-after");

    /**
     * Validates.
     */
    public ConcurrencyConfig {
        ConfigNode.atLeast(minLimit, 1, KEY + ".min-limit");
        if (maxLimit < minLimit) {
            throw new ResilienceConfigException(KEY + ".max-limit (" + maxLimit + ") must not be below " + KEY
                                                  + ".min-limit (" + minLimit + ")");
        }
        if (initialLimit < minLimit || initialLimit > maxLimit) {
            throw new ResilienceConfigException(KEY + ".initial-limit must be from min-limit (" + minLimit + ") to max-limit ("
                                                  + maxLimit + "), not " + initialLimit);
        }
        ConfigNode.positive(window, KEY + ".window");
        ConfigNode.positive(probeInterval, KEY + ".probe-interval");
        if (toleratedDelay.isNegative()) {
            throw new ResilienceConfigException(KEY + ".tolerated-delay must not be negative, not " + toleratedDelay);
        }
        ConfigNode.positive(retryAfter, KEY + ".retry-after");
    }

    /**
     * Read the {@code resilience.concurrency} node; a missing node gives {@link #DEFAULT}; unknown keys are refused.
     *
     * @param concurrency the node (may be missing)
     * @return configuration
     * @throws ResilienceException if a value is malformed or out of range
     */
    public static ConcurrencyConfig create(Config concurrency) {
        ConfigNode node = ConfigNode.of(concurrency, KEY).knownKeys(KEYS);
        String algorithm = concurrency.get("algorithm").asString().orElse("vegas").trim().toLowerCase(Locale.ROOT);
        Algorithm chosen = switch (algorithm) {
            case "vegas" -> Algorithm.VEGAS;
            case "fixed" -> Algorithm.FIXED;
            default -> throw new ResilienceConfigException(KEY + ".algorithm must be vegas or fixed, not '" + algorithm + "'");
        };
        int minLimit = node.integer("min-limit", DEFAULT_MIN_LIMIT);
        int maxLimit = node.integer("max-limit", Math.max(minLimit, DEFAULT_MAX_LIMIT));
        int initial = node.integer("initial-limit", Math.min(maxLimit, Math.max(minLimit, DEFAULT_INITIAL_LIMIT)));
        return new ConcurrencyConfig(node.bool("enabled", true), chosen, initial, minLimit, maxLimit,
                                     node.duration("window", DEFAULT_WINDOW),
                                     node.duration("probe-interval", DEFAULT_PROBE_INTERVAL),
                                     node.duration("tolerated-delay", DEFAULT_TOLERATED_DELAY),
                                     node.duration("retry-after", DEFAULT_RETRY_AFTER));
    }

    /**
     * How the limit is found.
     */
    public enum Algorithm {
        /**
         * Adapts to measured latency (after TCP Vegas): grows while the average latency stays near the unloaded
         * latency, shrinks when requests start to queue.
         */
        VEGAS,
        /** Always {@code initial-limit}. */
        FIXED
    }
}
