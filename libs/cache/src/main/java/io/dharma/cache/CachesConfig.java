package io.dharma.cache;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;

/**
 * The {@code cache} node, read and validated once. Settings of a named cache sit under {@code cache.caches.<name>};
 * the same keys directly under {@code cache} are the defaults of every cache (see {@link CacheConfig}).
 * <pre>
 * cache:
 *   enabled: true               # false: nothing is stored or served (invalidations are still published)
 *   key-prefix: "cache:"        # Redis keys are <prefix>{<cache>}:..., the channel <prefix>invalidations
 *   redis-timeout: PT0.05S      # every Redis call is bounded by this; on failure the cache degrades
 *   probe-backoff: PT0.1S       # first retry of Redis (and of the subscription) after a failure, doubling ...
 *   max-probe-backoff: PT5S     # ... up to this
 *   heartbeat: PT1S             # PING on the subscription; three missed answers count as a lost subscription
 *   degraded-ttl: PT5S          # L1 TTL of values loaded while Redis is unavailable
 *   l1: {max-size: 10000, ttl: PT30S}
 *   l2: {ttl: PT10M, jitter: PT30S}
 *   negative-ttl: PT30S
 *   tags: true
 *   lease: {ttl: PT2S, wait: PT0.5S}
 *   refresh-ahead: PT0S
 *   caches:
 *     blueprints: {l1: {max-size: 1000}, l2: {ttl: PT5M}}
 * </pre>
 *
 * @param enabled         whether caching is on
 * @param keyPrefix       prefix of every Redis key and of the invalidation channel
 * @param redisTimeout    longest wait for one Redis call
 * @param probeBackoff    first wait before Redis or the subscription is tried again
 * @param maxProbeBackoff longest wait between tries
 * @param heartbeat       interval of the subscription heartbeat
 * @param degradedTtl     L1 TTL of values loaded without Redis while Redis is configured
 * @param defaults        settings of caches not listed in {@code caches}
 * @param caches          settings per cache name
 */
public record CachesConfig(boolean enabled,
                           String keyPrefix,
                           Duration redisTimeout,
                           Duration probeBackoff,
                           Duration maxProbeBackoff,
                           Duration heartbeat,
                           Duration degradedTtl,
                           CacheConfig defaults,
                           Map<String, CacheConfig> caches) {
    /** Default key prefix. */
    public static final String DEFAULT_KEY_PREFIX = "cache:";
    /** Default Redis timeout: 50 ms. */
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofMillis(50);
    /** Default first backoff: 100 ms. */
    public static final Duration DEFAULT_PROBE_BACKOFF = Duration.ofMillis(100);
    /** Default longest backoff: 5 s. */
    public static final Duration DEFAULT_MAX_PROBE_BACKOFF = Duration.ofSeconds(5);
    /** Default heartbeat: 1 s. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    /** Default L1 TTL while degraded: 5 s. */
    public static final Duration DEFAULT_DEGRADED_TTL = Duration.ofSeconds(5);

    /**
     * Validates and copies.
     */
    public CachesConfig {
        caches = Map.copyOf(caches);
        caches.keySet().forEach(Checks::name);
        if (keyPrefix.isEmpty()) {
            throw new CacheConfigException("cache.key-prefix must not be empty");
        }
        Checks.positive(redisTimeout, "cache.redis-timeout");
        Checks.positive(probeBackoff, "cache.probe-backoff");
        if (maxProbeBackoff.compareTo(probeBackoff) < 0) {
            throw new CacheConfigException("cache.max-probe-backoff must not be below cache.probe-backoff");
        }
        Checks.positive(heartbeat, "cache.heartbeat");
        Checks.positive(degradedTtl, "cache.degraded-ttl");
    }

    /**
     * Read the {@code cache} node.
     *
     * @param node the {@code cache} node (may be missing: everything defaults)
     * @return configuration
     */
    public static CachesConfig create(Config node) {
        CacheConfig defaults = CacheConfig.create(node, CacheConfig.DEFAULTS);
        Map<String, CacheConfig> caches = new LinkedHashMap<>();
        for (Config cache : node.get("caches").asNodeList().orElse(List.of())) {
            caches.put(Checks.name(cache.name()), CacheConfig.create(cache, defaults));
        }
        return new CachesConfig(node.get("enabled").asBoolean().orElse(true),
                                node.get("key-prefix").asString().orElse(DEFAULT_KEY_PREFIX),
                                CacheConfig.duration(node, "redis-timeout", DEFAULT_REDIS_TIMEOUT),
                                CacheConfig.duration(node, "probe-backoff", DEFAULT_PROBE_BACKOFF),
                                CacheConfig.duration(node, "max-probe-backoff", DEFAULT_MAX_PROBE_BACKOFF),
                                CacheConfig.duration(node, "heartbeat", DEFAULT_HEARTBEAT),
                                CacheConfig.duration(node, "degraded-ttl", DEFAULT_DEGRADED_TTL),
                                defaults,
                                caches);
    }

    /**
     * Settings of one cache: its entry in {@code caches}, else the defaults.
     *
     * @param name cache name
     * @return settings
     */
    public CacheConfig cache(String name) {
        return caches.getOrDefault(name, defaults);
    }
}
