package io.dharma.resilience;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Set;

import io.helidon.config.Config;

/**
 * One {@code resilience.downstreams.<name>} node, read and validated once.
 * <pre>
 * resilience:
 *   downstreams:
 *     cost-service:
 *       base-url: http://cost-service:8081   # required
 *       timeout: PT2S                        # per attempt (connect + answer + body)
 *       retry:
 *         attempts: 3                        # in total, the first one included; 1 = never retry
 *         delay: PT0.1S                      # before the first retry, doubling ...
 *         max-delay: PT1S                    # ... up to this
 *         jitter: true                       # each delay is drawn from [delay/2, delay]
 *         overall-timeout: PT5S              # the whole call, retries and queueing included
 *       breaker:
 *         window: 20                         # rolling window, in calls
 *         failure-ratio: 50                  # percent of failed calls in the window that opens the breaker
 *         delay: PT5S                        # open, then half-open after this
 *         success-threshold: 1               # successful half-open calls that close it
 *       bulkhead:
 *         limit: 32                          # calls in flight
 *         queue: 64                          # calls waiting for a slot; more are refused
 *       readiness: false                     # true: a non-critical readiness check
 * </pre>
 *
 * @param name      downstream name, used in logs, metrics, health and problem details
 * @param baseUrl   absolute http(s) URL requests are resolved against
 * @param timeout   longest time one attempt may take
 * @param retry     retry settings
 * @param breaker   circuit breaker settings
 * @param bulkhead  bulkhead settings
 * @param readiness whether {@link Downstreams#readinessChecks()} includes this downstream
 */
public record DownstreamConfig(String name,
                               URI baseUrl,
                               Duration timeout,
                               Retry retry,
                               Breaker breaker,
                               Bulkhead bulkhead,
                               boolean readiness) {
    /** Default per-attempt timeout: 2 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private static final Set<String> KEYS = Set.of("base-url", "timeout", "retry", "breaker", "bulkhead", "readiness");

    /**
     * Validates.
     */
    public DownstreamConfig {
        if (name.isBlank()) {
            throw new ResilienceConfigException("resilience.downstreams: a downstream needs a name");
        }
        String scheme = baseUrl.getScheme();
        if (!baseUrl.isAbsolute() || baseUrl.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new ResilienceConfigException(key(name, "base-url") + " must be an absolute http or https URL, not '"
                                                  + baseUrl + "'");
        }
        ConfigNode.positive(timeout, key(name, "timeout"));
        if (retry.overallTimeout().compareTo(timeout) < 0) {
            throw new ResilienceConfigException(key(name, "retry.overall-timeout") + " (" + retry.overallTimeout()
                                                  + ") must not be shorter than " + key(name, "timeout") + " ("
                                                  + timeout + ")");
        }
    }

    /**
     * A downstream with every setting at its default.
     *
     * @param name    downstream name
     * @param baseUrl base URL
     * @return configuration
     */
    public static DownstreamConfig defaults(String name, URI baseUrl) {
        return new DownstreamConfig(name, baseUrl, DEFAULT_TIMEOUT, Retry.DEFAULT, Breaker.DEFAULT, Bulkhead.DEFAULT, false);
    }

    /**
     * Read a {@code resilience.downstreams.<name>} node; unknown keys are refused, so a misspelt setting does not
     * silently fall back to its default.
     *
     * @param node the downstream's node (its name is the downstream name)
     * @return configuration
     * @throws ResilienceException if a value is missing, malformed or out of range
     */
    public static DownstreamConfig create(Config node) {
        ConfigNode downstream = ConfigNode.of(node, "resilience.downstreams." + node.name()).knownKeys(KEYS);
        String url = node.get("base-url").asString().orElseThrow(
                () -> new ResilienceConfigException(downstream.key() + ".base-url is required"));
        URI baseUrl;
        try {
            baseUrl = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ResilienceConfigException(downstream.key() + ".base-url is not a URL: '" + url + "'");
        }
        return new DownstreamConfig(node.name(),
                                    baseUrl,
                                    downstream.duration("timeout", DEFAULT_TIMEOUT),
                                    Retry.create(downstream.child("retry")),
                                    Breaker.create(downstream.child("breaker")),
                                    Bulkhead.create(downstream.child("bulkhead")),
                                    downstream.bool("readiness", false));
    }

    /**
     * Retry settings ({@code retry}). Only idempotent requests are retried, and only after transient failures.
     *
     * @param attempts       attempts in total, the first one included (1 = no retry)
     * @param delay          delay before the first retry; it doubles for each further retry
     * @param maxDelay       the longest delay between two attempts
     * @param jitter         whether each delay is drawn at random from {@code [delay/2, delay]}
     * @param overallTimeout the longest time a whole call may take, retries and bulkhead queueing included
     */
    public record Retry(int attempts, Duration delay, Duration maxDelay, boolean jitter, Duration overallTimeout) {
        /** Default attempts: 3 (two retries). */
        public static final int DEFAULT_ATTEMPTS = 3;
        /** Default first retry delay: 100 ms. */
        public static final Duration DEFAULT_DELAY = Duration.ofMillis(100);
        /** Default longest retry delay: 1 s. */
        public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1);
        /** Default overall timeout: 5 s. */
        public static final Duration DEFAULT_OVERALL_TIMEOUT = Duration.ofSeconds(5);
        /** Every retry setting at its default. */
        public static final Retry DEFAULT = new Retry(DEFAULT_ATTEMPTS, DEFAULT_DELAY, DEFAULT_MAX_DELAY, true,
                                                      DEFAULT_OVERALL_TIMEOUT);

        /**
         * Validates.
         */
        public Retry {
            ConfigNode.atLeast(attempts, 1, "retry.attempts");
            if (delay.isNegative()) {
                throw new ResilienceConfigException("retry.delay must not be negative");
            }
            if (maxDelay.compareTo(delay) < 0) {
                throw new ResilienceConfigException("retry.max-delay (" + maxDelay + ") must not be below retry.delay ("
                                                      + delay + ")");
            }
            ConfigNode.positive(overallTimeout, "retry.overall-timeout");
        }

        private static Retry create(ConfigNode node) {
            node.knownKeys(Set.of("attempts", "delay", "max-delay", "jitter", "overall-timeout"));
            int attempts = node.integer("attempts", DEFAULT_ATTEMPTS);
            Duration delay = node.duration("delay", DEFAULT_DELAY);
            Duration maxDelay = node.duration("max-delay", max(delay, DEFAULT_MAX_DELAY));
            boolean jitter = node.bool("jitter", true);
            Duration overallTimeout = node.duration("overall-timeout", DEFAULT_OVERALL_TIMEOUT);
            return node.validate(() -> new Retry(attempts, delay, maxDelay, jitter, overallTimeout));
        }
    }

    /**
     * Circuit breaker settings ({@code breaker}). Failures are transient failures and 5xx answers, never 4xx.
     *
     * @param window           size of the rolling window, in calls; the breaker decides once the window is full
     * @param failureRatio     percentage (1–100) of failed calls in the window that opens the breaker
     * @param delay            how long the breaker stays open before it lets a probe call through (half-open)
     * @param successThreshold successful half-open calls needed to close it again
     */
    public record Breaker(int window, int failureRatio, Duration delay, int successThreshold) {
        /** Default window: 20 calls. */
        public static final int DEFAULT_WINDOW = 20;
        /** Default failure ratio: 50 %. */
        public static final int DEFAULT_FAILURE_RATIO = 50;
        /** Default open delay: 5 s. */
        public static final Duration DEFAULT_DELAY = Duration.ofSeconds(5);
        /** Default success threshold: 1 call. */
        public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
        /** Every breaker setting at its default. */
        public static final Breaker DEFAULT = new Breaker(DEFAULT_WINDOW, DEFAULT_FAILURE_RATIO, DEFAULT_DELAY,
                                                          DEFAULT_SUCCESS_THRESHOLD);

        /**
         * Validates.
         */
        public Breaker {
            ConfigNode.atLeast(window, 1, "breaker.window");
            if (failureRatio < 1 || failureRatio > 100) {
                throw new ResilienceConfigException("breaker.failure-ratio must be a percentage from 1 to 100, not "
                                                      + failureRatio);
            }
            ConfigNode.positive(delay, "breaker.delay");
            ConfigNode.atLeast(successThreshold, 1, "breaker.success-threshold");
        }

        private static Breaker create(ConfigNode node) {
            node.knownKeys(Set.of("window", "failure-ratio", "delay", "success-threshold"));
            int window = node.integer("window", DEFAULT_WINDOW);
            int failureRatio = node.integer("failure-ratio", DEFAULT_FAILURE_RATIO);
            Duration delay = node.duration("delay", DEFAULT_DELAY);
            int successThreshold = node.integer("success-threshold", DEFAULT_SUCCESS_THRESHOLD);
            return node.validate(() -> new Breaker(window, failureRatio, delay, successThreshold));
        }
    }

    /**
     * Bulkhead settings ({@code bulkhead}): how many calls may be in flight, and how many may wait for a slot.
     *
     * @param limit calls in flight at most
     * @param queue calls waiting at most; a call beyond that is refused at once
     */
    public record Bulkhead(int limit, int queue) {
        /** Default limit: 32 calls in flight. */
        public static final int DEFAULT_LIMIT = 32;
        /** Default queue: 64 waiting calls. */
        public static final int DEFAULT_QUEUE = 64;
        /** Every bulkhead setting at its default. */
        public static final Bulkhead DEFAULT = new Bulkhead(DEFAULT_LIMIT, DEFAULT_QUEUE);

        /**
         * Validates.
         */
        public Bulkhead {
            ConfigNode.atLeast(limit, 1, "bulkhead.limit");
            ConfigNode.atLeast(queue, 0, "bulkhead.queue");
        }

        private static Bulkhead create(ConfigNode node) {
            node.knownKeys(Set.of("limit", "queue"));
            int limit = node.integer("limit", DEFAULT_LIMIT);
            int queue = node.integer("queue", DEFAULT_QUEUE);
            return node.validate(() -> new Bulkhead(limit, queue));
        }
    }

    private static String key(String name, String key) {
        return "resilience.downstreams." + name + "." + key;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
