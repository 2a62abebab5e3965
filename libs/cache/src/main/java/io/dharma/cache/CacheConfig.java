package io.dharma.cache;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * Settings of one named cache: {@code cache.caches.<name>}, each key falling back to the same key directly under
 * {@code cache}, then to the {@code DEFAULT_*} constants.
 * <pre>
 * enabled: true          # false: every get calls the loader; writes still publish invalidations
 * l1:
 *   max-size: 10000      # entries kept in process (0: no L1 for this cache)
 *   ttl: PT30S           # safety net: longest time an L1 entry is served without a check
 * l2:
 *   ttl: PT10M           # Redis TTL of a value ...
 *   jitter: PT30S        # ... plus or minus up to this, so expiries spread out
 * negative-ttl: PT30S    # TTL of "not found" entries (PT0S: absent results are not cached)
 * tags: true             # false: tags are ignored and invalidateTag invalidates the whole cache
 * lease:
 *   ttl: PT2S            # how long one instance may load a missing key before others load it too
 *   wait: PT0.5S         # how long the others poll Redis for its value before they load it themselves
 * refresh-ahead: PT0S    # a hit with less L2 TTL left than this is reloaded in the background (PT0S: off)
 * </pre>
 *
 * @param enabled     whether values are stored and served
 * @param l1MaxSize   most entries in process; 0 turns L1 off for this cache
 * @param l1Ttl       time an L1 entry lives
 * @param l2Ttl       Redis TTL of a value
 * @param l2Jitter    largest random change of {@code l2Ttl}, either way (below {@code l2Ttl})
 * @param negativeTtl TTL of an absent result in both layers; zero: absent results are not cached
 * @param tags        whether entries carry tags
 * @param leaseTtl    lifetime of the Redis lease that lets one instance load a missing key
 * @param leaseWait   how long an instance without the lease waits for the value to appear in Redis
 * @param refreshAhead an L2 hit with less TTL left than this is reloaded in the background by one instance (the one
 *                    that takes the lease), while every caller is served the current value; zero turns it off
 */
public record CacheConfig(boolean enabled,
                          long l1MaxSize,
                          Duration l1Ttl,
                          Duration l2Ttl,
                          Duration l2Jitter,
                          Duration negativeTtl,
                          boolean tags,
                          Duration leaseTtl,
                          Duration leaseWait,
                          Duration refreshAhead) {
    /** Default L1 size: 10,000 entries per cache. */
    public static final long DEFAULT_L1_MAX_SIZE = 10_000;
    /** Default L1 TTL: 30 s. */
    public static final Duration DEFAULT_L1_TTL = Duration.ofSeconds(30);
    /** Default L2 TTL: 10 min. */
    public static final Duration DEFAULT_L2_TTL = Duration.ofMinutes(10);
    /** Default L2 TTL jitter: 30 s either way. */
    public static final Duration DEFAULT_L2_JITTER = Duration.ofSeconds(30);
    /** Default TTL of absent results: 30 s. */
    public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(30);
    /** Default lease TTL: 2 s. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(2);
    /** Default wait for another instance's load: 500 ms. */
    public static final Duration DEFAULT_LEASE_WAIT = Duration.ofMillis(500);
    /** Default early refresh: off. */
    public static final Duration DEFAULT_REFRESH_AHEAD = Duration.ZERO;
    /** Every setting at its default. */
    public static final CacheConfig DEFAULTS = new CacheConfig(true, DEFAULT_L1_MAX_SIZE, DEFAULT_L1_TTL, DEFAULT_L2_TTL,
                                                               DEFAULT_L2_JITTER, DEFAULT_NEGATIVE_TTL, true,
                                                               DEFAULT_LEASE_TTL, DEFAULT_LEASE_WAIT,
                                                               DEFAULT_REFRESH_AHEAD);

    /**
     * Validates.
     */
    public CacheConfig {
        if (l1MaxSize < 0) {
            throw new CacheConfigException("l1.max-size must not be negative");
        }
        Checks.positive(l1Ttl, "l1.ttl");
        Checks.positive(l2Ttl, "l2.ttl");
        Checks.notNegative(l2Jitter, "l2.jitter");
        if (l2Jitter.compareTo(l2Ttl) >= 0) {
            throw new CacheConfigException("l2.jitter must be below l2.ttl");
        }
        Checks.notNegative(negativeTtl, "negative-ttl");
        Checks.positive(leaseTtl, "lease.ttl");
        Checks.notNegative(leaseWait, "lease.wait");
        Checks.notNegative(refreshAhead, "refresh-ahead");
        if (refreshAhead.compareTo(l2Ttl.minus(l2Jitter)) >= 0) {
            throw new CacheConfigException("refresh-ahead must be below l2.ttl - l2.jitter");
        }
    }

    /**
     * Read the settings of one cache from its node, each missing key taken from {@code fallback}.
     *
     * @param node     the node ({@code cache} for the defaults, {@code cache.caches.<name>} for one cache)
     * @param fallback values for missing keys
     * @return settings
     */
    static CacheConfig create(Config node, CacheConfig fallback) {
        try {
            return new CacheConfig(node.get("enabled").asBoolean().orElse(fallback.enabled()),
                                   node.get("l1.max-size").asLong().orElse(fallback.l1MaxSize()),
                                   duration(node, "l1.ttl", fallback.l1Ttl()),
                                   duration(node, "l2.ttl", fallback.l2Ttl()),
                                   duration(node, "l2.jitter", fallback.l2Jitter()),
                                   duration(node, "negative-ttl", fallback.negativeTtl()),
                                   node.get("tags").asBoolean().orElse(fallback.tags()),
                                   duration(node, "lease.ttl", fallback.leaseTtl()),
                                   duration(node, "lease.wait", fallback.leaseWait()),
                                   duration(node, "refresh-ahead", fallback.refreshAhead()));
        } catch (CacheException e) {
            throw new CacheConfigException(node.key() + ": " + e.getMessage(), e);
        }
    }

    static Duration duration(Config node, String key, Duration fallback) {
        return node.get(key).as(Duration.class).orElse(fallback);
    }
}
